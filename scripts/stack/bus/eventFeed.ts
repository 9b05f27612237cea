/** How many of the latest events the feed keeps for a reader that connects later. */
export const EVENT_FEED_CAPACITY = 10_000;

/** The bus's accepted events in order, for readers that want the past ones and then each new one. */
export class EventFeed<Event> {
  readonly #events: Event[] = [];
  readonly #listeners = new Set<(event: Event) => void>();

  constructor(readonly capacity = EVENT_FEED_CAPACITY) {}

  append(event: Event): void {
    this.#events.push(event);
    if (this.#events.length > this.capacity) this.#events.shift();
    for (const listener of this.#listeners) listener(event);
  }

  /** The events kept, oldest first. */
  get events(): readonly Event[] {
    return this.#events;
  }

  /** Calls `listener` with each event kept, then with each new one until the returned function is called. */
  follow(listener: (event: Event) => void): () => void {
    for (const event of this.#events) listener(event);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

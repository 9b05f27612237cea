/** DynamoDB could not record an event (unreachable, throttled, refused). The cause keeps the SDK's error. */
export class EventStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreError';
  }
}

/** At most this many distinct notes per event: a 6,000-entry list with one odd field per entry is one note. */
const MAX_DISTINCT_NOTES = 32;

/**
 * What in a recorded body did not match Tencent's documented shape. The event is recorded anyway (the body is
 * kept whole); these notes go on the item (`shapeNotes`) and in the log line (WARN). List indexes are folded
 * into `*` and repeats counted, so a note list stays small whatever the body's size.
 */
export class ShapeNotes {
  private readonly counts = new Map<string, number>();
  private dropped = 0;

  public add(path: string, problem: string): void {
    const note = `${path.replace(/\.\d+(?=\.|$)/g, '.*')}: ${problem}`;
    const count = this.counts.get(note);
    if (count !== undefined) this.counts.set(note, count + 1);
    else if (this.counts.size < MAX_DISTINCT_NOTES) this.counts.set(note, 1);
    else this.dropped += 1;
  }

  public list(): string[] {
    const notes = [...this.counts].map(([note, count]) => (count === 1 ? note : `${note} (${count} times)`));
    return this.dropped === 0 ? notes : [...notes, `${this.dropped} more notes left out`];
  }
}

/** How a value that is not what the documentation says reads in a note. */
export const describeJsonType = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
};

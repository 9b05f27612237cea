import type { ValidatedGroupEvent } from '../tencent/delivery.js';

export const RecordResult = { Recorded: 'recorded', Duplicate: 'duplicate' } as const;
export type RecordResultName = (typeof RecordResult)[keyof typeof RecordResult];

/** Records each delivery at most once; throws StoreError when storage fails. */
export interface EventStore {
  recordEvent(event: ValidatedGroupEvent): Promise<RecordResultName>;
}

import type { GroupEvent } from './groupEvent.js';

export const RecordResult = { Recorded: 'recorded', Duplicate: 'duplicate' } as const;
export type RecordResultName = (typeof RecordResult)[keyof typeof RecordResult];

/** Records each delivery at most once; throws EventStoreError when storage fails. */
export interface EventStore {
  recordEvent(event: GroupEvent): Promise<RecordResultName>;
}

import { type DynamoEventStoreOptions, dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import type { EventStore } from '../../lib/eventStore/types.js';

/**
 * The store's deadline in tests that want "recorded", not "recorded within 1 s": a busy machine (a CI runner, a
 * second suite) can take longer than the production deadline for a first write on DynamoDB Local or a 4 MB body on
 * dynalite. Long enough never to be what a test measures, short enough to fail as a StoreError inside the test's
 * own timeout. The deadline itself is tested against a DynamoDB that stalls (storeFaults.test.ts), not here.
 */
export const TEST_STORE_DEADLINE_MS = 20_000;

/** The event store as the functions build it, with the test deadline unless `deadlineMs` says otherwise. */
export const testEventStore = (options: DynamoEventStoreOptions): EventStore =>
  dynamoEventStore({ deadlineMs: TEST_STORE_DEADLINE_MS, ...options });

import { StoreError } from '../dynamo/errors.js';
import { GroupStateConflictError } from './stateConflict.js';

/** DynamoDB refusals that the same request meets again on every retry. */
const REFUSED_REQUEST_NAMES: ReadonlySet<string> = new Set(['ValidationException', 'SerializationException', 'ItemCollectionSizeLimitExceededException']);

/**
 * True for a state update that no retry can make succeed: DynamoDB refused the request itself, or the code
 * threw something that is not a storage failure (a bug meets the same record the same way). Throttling,
 * timeouts and lost races pass with time.
 */
export const isPermanentFailure = (error: unknown): boolean => {
  if (error instanceof GroupStateConflictError) return false;
  if (!(error instanceof StoreError)) return true;
  const cause = error.cause;
  return cause instanceof Error && REFUSED_REQUEST_NAMES.has(cause.name);
};

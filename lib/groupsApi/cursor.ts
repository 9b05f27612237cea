import { EVENT_SORT_KEY_PREFIX } from '../dynamo/tableKeys.js';

/**
 * The `cursor` of GET /groups/{groupId}/events: opaque to callers; inside, the sort key of the last event
 * the previous page looked at (base64url JSON), so the next page starts right after it.
 */
export const encodeEventsCursor = (sortKey: string): string =>
  Buffer.from(JSON.stringify({ sk: sortKey })).toString('base64url');

/** The sort key inside a cursor; undefined when the text is not a cursor this API issued. */
export const decodeEventsCursor = (cursor: string): string | undefined => {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const sortKey = (decoded as { sk?: unknown } | null)?.sk;
    return typeof sortKey === 'string' && sortKey.startsWith(EVENT_SORT_KEY_PREFIX) ? sortKey : undefined;
  } catch {
    return undefined;
  }
};

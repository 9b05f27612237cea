import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GroupCommand } from '../commands/constants.js';
import { InputLimit } from '../webhook/constants.js';
import { decodeEventsCursor } from './cursor.js';
import { GroupsApiError } from './errors.js';

export const DEFAULT_EVENTS_LIMIT = 50;
export const MAX_EVENTS_LIMIT = 100;

const recordedCommands: readonly string[] = Object.values(GroupCommand);

/**
 * Group IDs contain `@` and `#` and arrive URL-encoded (`%40TGS%2312`). Whether API Gateway hands the path
 * parameter over decoded is not something we could observe here, so a value still carrying a valid `%XX`
 * escape is decoded once; serverless-offline already decodes it.
 */
export const groupIdParameter = (event: Pick<APIGatewayProxyEventV2, 'pathParameters'>): string => {
  const raw = event.pathParameters?.groupId ?? '';
  let groupId = raw;
  if (/%[0-9A-Fa-f]{2}/.test(raw)) {
    try {
      groupId = decodeURIComponent(raw);
    } catch {
      groupId = raw;
    }
  }
  // The webhook records no group whose ID is longer than this, so a longer one is a malformed request.
  if (groupId === '' || groupId.length > InputLimit.groupIdLength) {
    throw new GroupsApiError('GroupIdInvalid', `groupId must be 1 to ${InputLimit.groupIdLength} characters`);
  }
  return groupId;
};

export interface EventsQuery {
  limit: number;
  cursor: string | undefined;
  command: string | undefined;
}

/** `limit` (1–100, default 50), `cursor` (from the previous page's `nextCursor`), `command` (a recorded CallbackCommand). */
export const eventsQuery = (event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>): EventsQuery => {
  const { limit, cursor, command } = event.queryStringParameters ?? {};
  let pageSize = DEFAULT_EVENTS_LIMIT;
  if (limit !== undefined) {
    pageSize = /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(pageSize >= 1 && pageSize <= MAX_EVENTS_LIMIT)) {
      throw new GroupsApiError('LimitInvalid', `limit must be an integer from 1 to ${MAX_EVENTS_LIMIT}`);
    }
  }
  if (cursor !== undefined && decodeEventsCursor(cursor) === undefined) {
    throw new GroupsApiError('CursorInvalid', 'cursor must be a nextCursor returned by this API');
  }
  if (command !== undefined && !recordedCommands.includes(command)) {
    throw new GroupsApiError('CommandInvalid', `command must be one of ${recordedCommands.join(', ')}`);
  }
  return { limit: pageSize, cursor, command };
};

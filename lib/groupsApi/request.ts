import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { EVENT_TIME_DIGITS } from '../dynamo/tableKeys.js';
import { GroupCommand } from '../tencent/commands.js';
import { InputLimit } from '../tencent/limits.js';
import { isWellFormedText } from '../tencent/payload.js';
import { decodeEventsCursor } from './cursor.js';
import { GroupsApiError } from './errors.js';

export const DEFAULT_EVENTS_LIMIT = 50;
export const MAX_EVENTS_LIMIT = 100;

const recordedCommands: readonly string[] = Object.values(GroupCommand);

/**
 * The `groupId` path parameter, used exactly as it arrives. AWS's "Create routes for HTTP APIs" page says
 * "API Gateway decodes URL-encoded request parameters before passing them to your backend integration", and
 * serverless-offline's router (hapi) decodes a path parameter once too: `/groups/%40TGS%232J` arrives as
 * `@TGS#2J`, `/groups/pct%2541-X` as `pct%41-X`. Decoding again would read another group's state.
 */
export const groupIdParameter = (event: Pick<APIGatewayProxyEventV2, 'pathParameters'>): string => {
  const groupId = event.pathParameters?.groupId ?? '';
  // The webhook records no group whose ID is longer than this, or not well-formed Unicode.
  if (groupId === '' || groupId.length > InputLimit.groupIdLength || !isWellFormedText(groupId)) {
    throw new GroupsApiError(
      'GroupIdInvalid',
      `groupId must be 1 to ${InputLimit.groupIdLength} characters of well-formed Unicode`,
    );
  }
  return groupId;
};

export interface EventsQuery {
  limit: number;
  cursor: string | undefined;
  command: string | undefined;
}

/**
 * `limit` (1–100, default 50), `cursor` (from the previous page's `nextCursor`), `command` (a recorded
 * CallbackCommand).
 */
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

/** One event's key, from the `eventId` path parameter: `<eventTime>-<deliveryId>` (published events' `bodyPath`). */
export interface EventKey {
  eventTime: number;
  deliveryId: string;
}

const EVENT_ID = new RegExp(`^(\\d{1,${EVENT_TIME_DIGITS}})-([0-9a-f]{32})$`);

export const eventIdParameter = (event: Pick<APIGatewayProxyEventV2, 'pathParameters'>): EventKey => {
  const match = EVENT_ID.exec(event.pathParameters?.eventId ?? '');
  if (match === null) {
    throw new GroupsApiError(
      'EventIdInvalid',
      "eventId must be <eventTime>-<deliveryId>, as an event's bodyPath has it",
    );
  }
  return { eventTime: Number(match[1]), deliveryId: match[2] as string };
};

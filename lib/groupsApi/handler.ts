import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { StoreError } from '../dynamo/errors.js';
import { describeError, writeLog } from '../log.js';
import { GroupsApiError } from './errors.js';
import type { GroupReader } from './reader.js';
import { eventIdParameter, eventsQuery, groupIdParameter } from './request.js';

export interface JsonResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type GroupsApiHandler = (event: APIGatewayProxyEventV2) => Promise<JsonResponse>;

/** The read routes, as in serverless.yml. */
export const GroupsRoute = {
  State: 'GET /groups/{groupId}',
  Events: 'GET /groups/{groupId}/events',
  Event: 'GET /groups/{groupId}/events/{eventId}',
} as const;

const json = (statusCode: number, body: unknown): JsonResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const toApiError = (error: unknown): GroupsApiError => {
  if (error instanceof GroupsApiError) return error;
  if (error instanceof StoreError)
    return new GroupsApiError('StorageFailed', 'the store could not be read; retry later', { cause: error });
  return new GroupsApiError('InternalError', 'internal error', { cause: error });
};

/**
 * GET /groups/{groupId} → the group's state; GET /groups/{groupId}/events → its events in EventTime order,
 * a page at a time; GET /groups/{groupId}/events/{eventId} → one event (a published event's `bodyPath`). Every
 * answer is JSON; an error is `{"error", "message"}` (docs/reference.md, "The read API").
 */
export const createGroupsApiHandler = ({ reader }: { reader: GroupReader }): GroupsApiHandler =>
  async function handleGroupsApi(event) {
    try {
      const groupId = groupIdParameter(event);
      if (event.routeKey === GroupsRoute.Event || event.pathParameters?.eventId !== undefined) {
        const view = await reader.readEvent(groupId, eventIdParameter(event));
        if (view === undefined) throw new GroupsApiError('EventNotFound', `group ${groupId} has no such event`);
        return json(200, view);
      }
      if (event.routeKey === GroupsRoute.Events || event.routeKey?.endsWith('/events')) {
        const { limit, cursor, command } = eventsQuery(event);
        return json(200, await reader.readEvents(groupId, { limit, cursor, command }));
      }
      const state = await reader.readState(groupId);
      if (state === undefined)
        throw new GroupsApiError('GroupNotFound', `no event of group ${groupId} has been recorded`);
      return json(200, state);
    } catch (caught) {
      const error = toApiError(caught);
      if (error.httpStatus >= 500) {
        writeLog('ERROR', 'groupsApi', { error: error.code, detail: describeError(error.cause) });
      }
      return json(error.httpStatus, { error: error.code, message: error.message });
    }
  };

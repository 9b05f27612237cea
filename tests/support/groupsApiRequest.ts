import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GroupsRoute } from '../../lib/groupsApi/handler.js';

type GroupsRouteKey = (typeof GroupsRoute)[keyof typeof GroupsRoute];

/**
 * A read-API request as an HTTP API (2.0) event, the group ID as API Gateway's path parameter. `rawPath` is
 * left unencoded: the handler reads the path parameter only, and a lone surrogate has no URL encoding.
 */
export const groupsApiRequest = (
  routeKey: GroupsRouteKey,
  groupId: string,
  query?: Record<string, string>,
  eventId?: string,
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey,
    rawPath: {
      [GroupsRoute.State]: `/groups/${groupId}`,
      [GroupsRoute.Events]: `/groups/${groupId}/events`,
      [GroupsRoute.Event]: `/groups/${groupId}/events/${eventId}`,
    }[routeKey],
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    pathParameters: { groupId, ...(eventId === undefined ? {} : { eventId }) },
    ...(query ? { queryStringParameters: query } : {}),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

/** GET /groups/{groupId}/events. */
export const groupEventsRequest = (groupId: string, query?: Record<string, string>): APIGatewayProxyEventV2 =>
  groupsApiRequest(GroupsRoute.Events, groupId, query);

/** GET /groups/{groupId}/events/{eventId}. */
export const groupEventRequest = (groupId: string, eventId: string): APIGatewayProxyEventV2 =>
  groupsApiRequest(GroupsRoute.Event, groupId, undefined, eventId);

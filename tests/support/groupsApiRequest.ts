import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GroupsRoute } from '../../lib/groupsApi/handler.js';

/** GET /groups/{groupId}/events as an HTTP API (2.0) event, the group ID as API Gateway's path parameter. */
export const groupEventsRequest = (groupId: string, query?: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: GroupsRoute.Events,
    rawPath: `/groups/${encodeURIComponent(groupId)}/events`,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    pathParameters: { groupId },
    ...(query ? { queryStringParameters: query } : {}),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { LogContext } from '../log.js';
import { readWebhookQuery, type WebhookQuery } from '../tencent/query.js';

/** Either API Gateway payload: HTTP API (2.0) or REST API / payload 1.0. */
export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/**
 * The API Gateway event as it moves through the chain: `receivedAt`, `query` and `rawBody` are added,
 * `body` becomes the parsed JSON.
 */
export type WebhookRequestEvent = Omit<ApiGatewayEvent, 'body'> & {
  body?: unknown;
  rawBody?: string;
  /**
   * The received bytes, kept only when they are not valid UTF-8 (a base64 body): `rawBody` then reads them with U+FFFD.
   */
  rawBodyBytes?: Uint8Array;
  receivedAt?: number;
  /** Tencent's query parameters, read once by the outermost middleware. */
  query?: WebhookQuery;
};

/** Shared between the chain's middlewares for one request (middy's `request.internal`). */
export interface WebhookRequestState extends Record<string, unknown> {
  startedAt?: number;
  /** Set once the caller is verified as Tencent for our app: from then on a refusal logs the replay record. */
  verified?: boolean;
  /** Set instead when the token could not be read: the request's Sign and RequestTime, to check at replay. */
  unverified?: { sign: string; requestTime: string };
}

/** Every middleware of the webhook chain has this shape. */
export type WebhookMiddleware = MiddlewareObj<WebhookRequestEvent, unknown, Error, Context, WebhookRequestState>;

/** Time since the envelope middleware saw the request. */
export const elapsedMs = (state: WebhookRequestState, now: () => number): number => {
  const current = now();
  return current - (state.startedAt ?? current);
};

/** The Lambda request id for the log line; the context is missing when the handler is called without one. */
export const logContextOf = (request: { context?: Context | undefined }): LogContext => ({
  requestId: request.context?.awsRequestId,
});

/** The query the outermost middleware read for this request (read here if it has not run, as in unit tests). */
export const queryOf = (event: WebhookRequestEvent): WebhookQuery => {
  event.query ??= readWebhookQuery(event);
  return event.query;
};

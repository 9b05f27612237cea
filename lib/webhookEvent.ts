import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { LogContext } from './structuredLog.js';
import type { ApiGatewayEvent } from './webhookQuery.js';

/**
 * The API Gateway event as it moves through the chain: `receivedAt` and `rawBody` are added, `body` becomes
 * the parsed JSON.
 */
export type WebhookEvent = Omit<ApiGatewayEvent, 'body'> & {
  body?: unknown;
  rawBody?: string;
  receivedAt?: number;
};

/** Shared between the chain's middlewares for one request (middy's `request.internal`). */
export interface WebhookRequestState extends Record<string, unknown> {
  startedAt?: number;
}

/** Time since the envelope middleware saw the request. */
export const elapsedMs = (state: WebhookRequestState, now: () => number): number => {
  const current = now();
  return current - (state.startedAt ?? current);
};

/** Every middleware of the webhook chain has this shape. */
export type WebhookMiddleware = MiddlewareObj<WebhookEvent, unknown, Error, Context, WebhookRequestState>;

/** The Lambda request id for the log line; the context is missing when the handler is called without one. */
export const logContextOf = (request: { context?: Context | undefined }): LogContext => ({
  requestId: request.context?.awsRequestId,
});

import { EventStoreError } from '../eventStoreError.js';
import type { ReceiveResult } from '../receiveWebhook.js';
import { replayRecordOf } from '../replayRecord.js';
import { failResponse, okResponse } from '../tencentEnvelope.js';
import { type WebhookMiddleware, elapsedMs, logContextOf } from '../webhookEvent.js';
import { WebhookOutcome, logWebhookOutcome } from '../webhookOutcome.js';
import { readWebhookQuery } from '../webhookQuery.js';
import { WebhookRejectedError } from '../webhookRejectedError.js';

const fromJsonBodyParser = (error: Error): boolean =>
  (error.cause as { package?: unknown } | undefined)?.package === '@middy/http-json-body-parser';

/** Any error becomes a rejection with a stable code and a message safe to send to the caller. */
export const toRejection = (error: Error): WebhookRejectedError => {
  if (error instanceof WebhookRejectedError) return error;
  if (error instanceof EventStoreError) {
    return new WebhookRejectedError('StorageFailed', 'the event could not be recorded; retry later', { cause: error });
  }
  if (fromJsonBodyParser(error)) return new WebhookRejectedError('BodyNotJson', 'body is not valid JSON', { cause: error });
  return new WebhookRejectedError('InternalError', 'internal error', { cause: error });
};

const groupIdOf = (body: unknown): string | undefined => {
  const groupId = (body as { GroupId?: unknown } | null | undefined)?.GroupId;
  return typeof groupId === 'string' ? groupId : undefined;
};

const describeCause = (error: WebhookRejectedError): string | undefined => {
  const cause = error.cause instanceof Error ? (error.cause.cause ?? error.cause) : undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined;
};

/**
 * Outermost middleware: every answer leaves in Tencent's envelope. The handler's result becomes 200 OK;
 * any error becomes the FAIL envelope with its status and code. Logs one line per request either way.
 */
export const tencentEnvelope = (now: () => number): WebhookMiddleware => {
  return {
    before: function tencentEnvelopeBefore(request) {
      request.internal.startedAt = now();
      request.event.receivedAt = request.internal.startedAt;
    },
    after: function tencentEnvelopeAfter(request) {
      const result = request.response as ReceiveResult;
      logWebhookOutcome({
        outcome: result.outcome,
        command: result.command,
        groupId: result.groupId,
        durationMs: elapsedMs(request.internal, now),
      }, logContextOf(request));
      request.response = okResponse();
    },
    onError: function tencentEnvelopeOnError(request) {
      const rejection = toRejection(request.error ?? new Error('unknown error'));
      const failed = rejection.httpStatus >= 500;
      const { rawBody, receivedAt } = request.event;
      // A verified, parsed request that could not be recorded is logged whole, so an operator can replay it.
      const replayable = failed && rawBody !== undefined && receivedAt !== undefined && rejection.reason !== 'NotConfigured';
      logWebhookOutcome({
        outcome: failed ? WebhookOutcome.Failed : WebhookOutcome.Rejected,
        command: readWebhookQuery(request.event).callbackCommand,
        groupId: groupIdOf(request.event.body),
        reason: rejection.reason,
        errorCode: rejection.errorCode,
        detail: failed ? (describeCause(rejection) ?? rejection.message) : rejection.message,
        durationMs: elapsedMs(request.internal, now),
        ...(replayable ? { replay: replayRecordOf(request.event, rawBody, receivedAt) } : {}),
      }, logContextOf(request));
      request.response = failResponse(rejection.httpStatus, rejection.errorCode, rejection.message);
    },
  };
};

import { StoreError } from '../../dynamo/errors.js';
import type { ReceiveResult } from '../../commands/router.js';
import { WebhookRejectedError } from '../errors.js';
import { WebhookOutcome, logWebhookOutcome, replayRecordOf } from '../outcome.js';
import { queryOf, readWebhookQuery } from '../query.js';
import { failResponse, okResponse } from '../tencentAnswer.js';
import { type WebhookMiddleware, elapsedMs, logContextOf } from '../types.js';

const fromJsonBodyParser = (error: Error): boolean =>
  (error.cause as { package?: unknown } | undefined)?.package === '@middy/http-json-body-parser';

/** Any error becomes a rejection with a stable code and a message safe to send to the caller. */
export const toRejection = (error: Error): WebhookRejectedError => {
  if (error instanceof WebhookRejectedError) return error;
  if (error instanceof StoreError) {
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
 * It also reads the query once for the whole chain.
 */
export const answerInTencentEnvelope = (now: () => number): WebhookMiddleware => ({
  before: function answerInTencentEnvelopeBefore(request) {
    request.internal.startedAt = now();
    request.event.query = readWebhookQuery(request.event);
    request.event.receivedAt = request.internal.startedAt;
  },
  after: function answerInTencentEnvelopeAfter(request) {
    const result = request.response as ReceiveResult;
    logWebhookOutcome({
      outcome: result.outcome,
      command: result.command,
      groupId: result.groupId,
      ...(result.shapeNotes === undefined ? {} : { shapeNotes: result.shapeNotes }),
      durationMs: elapsedMs(request.internal, now),
    }, logContextOf(request));
    request.response = okResponse();
  },
  onError: function answerInTencentEnvelopeOnError(request) {
    const rejection = toRejection(request.error ?? new Error('unknown error'));
    const failed = rejection.httpStatus >= 500;
    const { rawBody, receivedAt } = request.event;
    // A verified, parsed request that could not be recorded is logged whole, so an operator can replay it.
    const replayable = failed && rawBody !== undefined && receivedAt !== undefined && rejection.reason !== 'NotConfigured';
    logWebhookOutcome({
      outcome: failed ? WebhookOutcome.Failed : WebhookOutcome.Rejected,
      command: queryOf(request.event).callbackCommand,
      groupId: groupIdOf(request.event.body),
      reason: rejection.reason,
      errorCode: rejection.errorCode,
      detail: failed ? (describeCause(rejection) ?? rejection.message) : rejection.message,
      durationMs: elapsedMs(request.internal, now),
      ...(replayable ? { replay: replayRecordOf(request.event, rawBody, receivedAt) } : {}),
    }, logContextOf(request));
    request.response = failResponse(rejection.httpStatus, rejection.errorCode, rejection.message);
  },
});

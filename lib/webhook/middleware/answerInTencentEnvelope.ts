import { StoreError } from '../../dynamo/errors.js';
import { failResponse, okResponse } from '../../tencent/envelope.js';
import { InputLimit } from '../../tencent/limits.js';
import { isJsonObject } from '../../tencent/payload.js';
import { readWebhookQuery } from '../../tencent/query.js';
import { WebhookRejectedError } from '../../tencent/rejection.js';
import { logWebhookOutcome, WebhookOutcome } from '../outcome.js';
import type { ReceiveResult } from '../receive.js';
import { replayRecordOf } from '../replayRecord.js';
import { elapsedMs, logContextOf, queryOf, type WebhookMiddleware, type WebhookRequestEvent } from '../types.js';

const fromJsonBodyParser = (error: Error): boolean =>
  (error.cause as { package?: unknown } | undefined)?.package === '@middy/http-json-body-parser';

/** Any error becomes a rejection with a stable code and a message safe to send to the caller. */
export const toRejection = (error: Error): WebhookRejectedError => {
  if (error instanceof WebhookRejectedError) return error;
  if (error instanceof StoreError) {
    return new WebhookRejectedError('StorageFailed', 'the event could not be recorded; retry later', { cause: error });
  }
  if (fromJsonBodyParser(error))
    return new WebhookRejectedError('BodyNotJson', 'body is not valid JSON', { cause: error });
  return new WebhookRejectedError('InternalError', 'internal error', { cause: error });
};

/** The longest GroupId a log line names (a refused one may be longer than any real one). */
const LOGGED_GROUP_ID_LENGTH = 256;

/** The body text as received, decoded when base64, whether or not the chain got as far as reading it. */
const bodyTextOf = (event: WebhookRequestEvent): string | undefined => {
  if (event.rawBody !== undefined) return event.rawBody;
  if (typeof event.body !== 'string') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

/** The parsed body; parsed here only for a verified request the chain refused before its parser ran. */
const parsedBodyOf = (event: WebhookRequestEvent, verified: boolean): Record<string, unknown> | undefined => {
  const body =
    event.rawBody === undefined && typeof event.body === 'string' && verified
      ? parseOrUndefined(bodyTextOf(event))
      : event.body;
  return isJsonObject(body) ? body : undefined;
};

const parseOrUndefined = (text: string | undefined): unknown => {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

const textField = (body: Record<string, unknown> | undefined, key: string, maxLength: number): string | undefined => {
  const value = body?.[key];
  if (typeof value === 'string') return value.slice(0, maxLength);
  return typeof value === 'number' ? String(value) : undefined;
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
export const answerInTencentEnvelope = (now: () => number, sealKey?: string): WebhookMiddleware => ({
  before: function answerInTencentEnvelopeBefore(request) {
    request.internal.startedAt = now();
    request.event.query = readWebhookQuery(request.event);
    request.event.receivedAt = request.internal.startedAt;
  },
  after: function answerInTencentEnvelopeAfter(request) {
    const result = request.response as ReceiveResult;
    logWebhookOutcome(
      {
        outcome: result.outcome,
        command: result.command,
        groupId: result.groupId,
        ...(result.shapeNotes === undefined ? {} : { shapeNotes: result.shapeNotes }),
        durationMs: elapsedMs(request.internal, now),
      },
      logContextOf(request),
    );
    request.response = okResponse();
  },
  onError: function answerInTencentEnvelopeOnError(request) {
    const rejection = toRejection(request.error ?? new Error('unknown error'));
    const failed = rejection.httpStatus >= 500;
    const { unverified } = request.internal;
    // Verified, or as far as it can be while the token cannot be read (its Sign is then checked at replay).
    const trusted = request.internal.verified === true || unverified !== undefined;
    const body = parsedBodyOf(request.event, trusted);
    const bodyText = trusted ? bodyTextOf(request.event) : undefined;
    const { receivedAt } = request.event;
    // A request that passed verification and was not recorded is logged whole: it can be replayed or redriven.
    // Unverified bodies are bounded: anyone who knows the SdkAppId can send them while the token is unreadable.
    const withinBound =
      request.internal.verified === true ||
      (bodyText !== undefined && Buffer.byteLength(bodyText, 'utf8') <= InputLimit.bodyBytes);
    const replayable = bodyText !== undefined && bodyText !== '' && withinBound && receivedAt !== undefined;
    logWebhookOutcome(
      {
        outcome: failed ? WebhookOutcome.Failed : WebhookOutcome.Rejected,
        command:
          queryOf(request.event).callbackCommand ?? textField(body, 'CallbackCommand', InputLimit.queryParameterLength),
        groupId: textField(body, 'GroupId', LOGGED_GROUP_ID_LENGTH),
        reason: rejection.reason,
        errorCode: rejection.errorCode,
        detail: failed ? (describeCause(rejection) ?? rejection.message) : rejection.message,
        durationMs: elapsedMs(request.internal, now),
        ...(replayable
          ? {
              replay: replayRecordOf(request.event.queryStringParameters, bodyText, receivedAt, {
                sealKey,
                unverified,
              }),
            }
          : {}),
      },
      logContextOf(request),
    );
    request.response = failResponse(rejection.httpStatus, rejection.errorCode, rejection.message);
  },
});

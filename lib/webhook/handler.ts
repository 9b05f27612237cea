import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { Context } from 'aws-lambda';
import type { WebhookConfig } from '../config.js';
import type { EventStore } from '../eventStore/types.js';
import type { CommandHandlers } from '../tencent/delivery.js';
import type { WebhookResponse } from '../tencent/envelope.js';
import { isJsonObject } from '../tencent/payload.js';
import { recordedCommandHandlers } from '../tencent/recordedCommands.js';
import { WebhookRejectedError } from '../tencent/rejection.js';
import { resolveCommand } from '../tencent/resolveCommand.js';
import type { CallbackTokenSource } from './callbackTokenSource.js';
import { acknowledgeUnrecordedCommands } from './middleware/acknowledgeUnrecordedCommands.js';
import { answerInTencentEnvelope } from './middleware/answerInTencentEnvelope.js';
import { readRawBody } from './middleware/readRawBody.js';
import { refuseUnlistedSourceIp } from './middleware/refuseUnlistedSourceIp.js';
import { refuseUnsafeBody } from './middleware/refuseUnsafeBody.js';
import { verifyTencentCaller } from './middleware/verifyTencentCaller.js';
import { receiveWebhook } from './receive.js';
import type { ApiGatewayEvent, WebhookMiddleware, WebhookRequestEvent, WebhookRequestState } from './types.js';
import { queryOf } from './types.js';

export interface WebhookHandlerDependencies {
  config: WebhookConfig;
  store: EventStore;
  /** The recorded commands and their handlers. Default: the three group commands. */
  commands?: CommandHandlers;
  /** Clock in ms; injectable so tests can check RequestTime freshness. Default: Date.now. */
  now?: () => number;
  /** Where the callback tokens come from when not from `config` (an SSM parameter in deployed stages). */
  tokenSource?: CallbackTokenSource | undefined;
}

export type WebhookLambdaHandler = (event: ApiGatewayEvent, context: Context) => Promise<WebhookResponse>;

/**
 * `disableContentTypeCheck` (in the 6.4 middleware's code, missing from its typings): parse JSON whatever Content-Type
 * says.
 */
const jsonParserOptions = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];

/**
 * The one place the chain is composed. Order matters: the envelope wraps everything (first before,
 * last after/onError); the caller is verified before the body is read; the body's size is checked before
 * it is decoded and its shape before anything reads it; Tencent sends no Content-Type, so the JSON
 * parser's content-type check is off.
 */
export const createWebhookHandler = ({
  config,
  store,
  commands = recordedCommandHandlers,
  now = Date.now,
  tokenSource,
}: WebhookHandlerDependencies): WebhookLambdaHandler => {
  const handleVerifiedWebhook = async (event: WebhookRequestEvent) => {
    if (!isJsonObject(event.body)) throw new WebhookRejectedError('BodyNotObject', 'body is not a JSON object');
    const query = queryOf(event);
    return receiveWebhook(
      {
        sdkAppId: config.sdkAppId,
        command: resolveCommand(query.callbackCommand, event.body),
        clientIp: query.clientIp,
        optPlatform: query.optPlatform,
        body: event.body,
        rawBody: event.rawBody ?? '',
        rawBodyBytes: event.rawBodyBytes,
        receivedAt: event.receivedAt ?? now(),
      },
      commands,
      store,
    );
  };

  // No early-timeout timer per request: the store answers within DYNAMO_DEADLINE_MS, long before Lambda's timeout,
  // and an answer just before that timeout would reach Tencent long after its 2 s.
  const chain = middy<WebhookRequestEvent, unknown, Error, Context, WebhookRequestState>({
    timeoutEarlyInMillis: 0,
  }).use(answerInTencentEnvelope(now, config.replaySealKeys?.[0]));
  const allowlist = config.sourceIpAllowlist ?? [];
  return (allowlist.length === 0 ? chain : chain.use(refuseUnlistedSourceIp(allowlist)))
    .use(verifyTencentCaller(config, now, tokenSource))
    .use(acknowledgeUnrecordedCommands(commands, now))
    .use(readRawBody())
    .use(httpJsonBodyParser(jsonParserOptions) as unknown as WebhookMiddleware)
    .use(refuseUnsafeBody())
    .handler(handleVerifiedWebhook) as unknown as WebhookLambdaHandler;
};

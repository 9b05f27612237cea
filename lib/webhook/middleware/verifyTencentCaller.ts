import type { WebhookConfig } from '../../config.js';
import { withDeadline } from '../../dynamo/deadline.js';
import { callbackSign, signsMatch } from '../../tencent/callbackSign.js';
import { assertQueryWithinLimits, type WebhookQuery } from '../../tencent/query.js';
import { WebhookRejectedError } from '../../tencent/rejection.js';
import type { CallbackTokenSource } from '../callbackTokenSource.js';
import type { WebhookMiddleware } from '../types.js';
import { queryOf } from '../types.js';

const UNIX_SECONDS = /^\d{1,12}$/;

const assertOurApp = (query: WebhookQuery, config: WebhookConfig): void => {
  if (config.sdkAppId === '') {
    throw new WebhookRejectedError('NotConfigured', 'receiver has no SDK_APP_ID configured');
  }
  if (config.problem !== undefined) throw new WebhookRejectedError('NotConfigured', config.problem);
  assertQueryWithinLimits(query);
  if (query.sdkAppId === undefined || query.sdkAppId === '') {
    throw new WebhookRejectedError('SdkAppIdMissing', 'query parameter SdkAppid is missing');
  }
  if (query.sdkAppId !== config.sdkAppId) {
    throw new WebhookRejectedError('SdkAppIdMismatch', "SdkAppid is not this receiver's app");
  }
};

/** Sign and RequestTime present, RequestTime a Unix time within the allowed skew of `nowMs`. */
const signedFieldsOf = (
  query: WebhookQuery,
  config: WebhookConfig,
  nowMs: number,
): { sign: string; requestTime: string } => {
  const { sign, requestTime } = query;
  if (!sign || !requestTime) {
    const missing = [!sign && 'Sign', !requestTime && 'RequestTime'].filter(Boolean).join(' and ');
    throw new WebhookRejectedError(
      'SignMissing',
      `query parameter ${missing} missing (a callback token is configured)`,
    );
  }
  if (!UNIX_SECONDS.test(requestTime)) {
    throw new WebhookRejectedError('RequestTimeInvalid', 'RequestTime is not a Unix time in seconds');
  }
  const skewSeconds = Math.abs(nowMs / 1000 - Number(requestTime));
  if (skewSeconds > config.maxClockSkewSeconds) {
    throw new WebhookRejectedError(
      'RequestTimeStale',
      `RequestTime is ${Math.round(skewSeconds)} s from the receiver's clock (limit ${config.maxClockSkewSeconds} s)`,
    );
  }
  return { sign, requestTime };
};

/**
 * Checks that the caller is Tencent, for our app: parameter lengths, SdkAppid, then (with a token
 * configured) RequestTime freshness and Sign against the current and the next token.
 * Throws WebhookRejectedError naming the exact cause; never echoes a token.
 */
export const verifyRequest = (query: WebhookQuery, config: WebhookConfig, nowMs: number): void => {
  assertOurApp(query, config);
  const tokens = [config.callbackToken, config.callbackTokenNext].filter((token) => token !== undefined);
  if (tokens.length === 0) return;
  const { sign, requestTime } = signedFieldsOf(query, config, nowMs);
  // Every token is compared, whichever matches, so the time taken does not tell which one is current.
  const matches = tokens.map((token) => signsMatch(callbackSign(token, requestTime), sign));
  if (!matches.includes(true)) {
    throw new WebhookRejectedError('SignMismatch', 'Sign does not match the configured callback token');
  }
};

/**
 * All of verifyRequest that needs no token, for a signed request that arrives while the token cannot be read:
 * returns its Sign and RequestTime, to be checked once it can.
 */
export const verifyAllButSign = (
  query: WebhookQuery,
  config: WebhookConfig,
  nowMs: number,
): { sign: string; requestTime: string } => {
  assertOurApp(query, config);
  return signedFieldsOf(query, config, nowMs);
};

/**
 * How long a callback waits for the token read of a cold start (or of a function that has not read it yet):
 * with the store's 1 s after it, inside Tencent's 2 s. The read goes on in the background for the next callback.
 */
export const TOKEN_WAIT_MS = 700;

/**
 * Verify first, parse after: runs before the body is touched, so a forged request costs no parsing. With a
 * token source (an SSM parameter in deployed stages) the tokens come from it. A callback that arrives while it
 * cannot be read is never accepted unsigned: it is checked as far as it can be without the token, and if it
 * passes it is answered 500 and logged whole with its Sign (`unverified`), for the redrive to check and record
 * once the token can be read.
 */
export const verifyTencentCaller = (
  config: WebhookConfig,
  now: () => number,
  tokenSource?: CallbackTokenSource,
): WebhookMiddleware => ({
  before:
    tokenSource === undefined
      ? function verifyTencentCallerBefore(request) {
          verifyRequest(queryOf(request.event), config, now());
          request.internal.verified = true;
        }
      : async function verifyTencentCallerWithTokenSource(request) {
          const query = queryOf(request.event);
          const tokens = await withDeadline(TOKEN_WAIT_MS, tokenSource.current()).catch((error: unknown) => {
            request.internal.unverified = verifyAllButSign(query, config, now());
            throw new WebhookRejectedError('TokenUnavailable', 'the callback token could not be read; retry later', {
              cause: error,
            });
          });
          verifyRequest(query, { ...config, ...tokens }, now());
          request.internal.verified = true;
        },
});

import { GetParameterCommand, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { WebhookConfig } from '../config.js';
import { writeLog } from '../log.js';

/** The callback token could not be read from its source: every callback is refused until it can be. */
export class CallbackTokenUnavailableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallbackTokenUnavailableError';
  }
}

export interface CallbackTokens {
  callbackToken: string | undefined;
  callbackTokenNext: string | undefined;
}

/**
 * The stored value is the token, or during a rotation two tokens on two lines (current, then next), so a
 * rotation is two writes to the parameter and no deploy (docs/deploy.md, "Rotating the token").
 */
export const parseCallbackTokenValue = (value: string | undefined): CallbackTokens => {
  const tokens = (value ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (tokens.length === 0 || tokens.length > 2) {
    throw new CallbackTokenUnavailableError(
      `the token parameter holds ${tokens.length} tokens (1 or 2 lines expected)`,
    );
  }
  return { callbackToken: tokens[0], callbackTokenNext: tokens[1] };
};

/** Where the webhook gets the callback token(s) from when they are not in its environment. */
export interface CallbackTokenSource {
  /** The tokens to check Sign against; rejects with CallbackTokenUnavailableError while they cannot be read. */
  current(): Promise<CallbackTokens>;
}

/**
 * A cold start reads the parameter while the rest of init runs; a first callback that arrives before the
 * answer waits for it at most TOKEN_WAIT_MS (lib/webhook/middleware/verifyTencentCaller.ts), and the read goes on
 * for the next one: one connection in 500 ms, an answer in 600 ms, three attempts. SSM answers a throttled read at
 * once; the back-off is jittered (40–140 ms, then 80–180 ms) so that the cold starts of a burst, throttled
 * together, do not all try again together.
 */
export const TokenReadTimeouts = {
  connectionMs: 500,
  requestMs: 600,
  maxAttempts: 3,
  backoffMs: (attempt: number): number => 40 * attempt + Math.floor(Math.random() * 100),
} as const;

/** A rotated token reaches warm functions within this time, with no deploy (the SSM extension's default TTL too). */
export const TOKEN_REFRESH_AFTER_MS = 5 * 60_000;

/** `where`: another endpoint, region and credentials (a stand-in's, in tests); else the function's own. */
export const createTokenParameterClient = (
  where: Pick<SSMClientConfig, 'endpoint' | 'region' | 'credentials'> = {},
): SSMClient =>
  new SSMClient({
    ...where,
    requestHandler: {
      connectionTimeout: TokenReadTimeouts.connectionMs,
      requestTimeout: TokenReadTimeouts.requestMs,
      throwOnRequestTimeout: true,
    },
    retryStrategy: new ConfiguredRetryStrategy(TokenReadTimeouts.maxAttempts, TokenReadTimeouts.backoffMs),
  });

/**
 * The token from an SSM SecureString (decrypted with the function's role), read once per cold start and
 * cached. After `refreshAfterMs` a request starts a re-read in the background and keeps using the cached
 * value, also if the re-read fails. Until one read has succeeded, each callback tries again and is refused
 * (never accepted unsigned) if it fails.
 */
export const ssmCallbackTokenSource = ({
  parameterName,
  client = createTokenParameterClient(),
  now = Date.now,
  refreshAfterMs = TOKEN_REFRESH_AFTER_MS,
}: {
  parameterName: string;
  client?: Pick<SSMClient, 'send'>;
  now?: () => number;
  refreshAfterMs?: number;
}): CallbackTokenSource => {
  let cached: { tokens: CallbackTokens; readAt: number } | undefined;
  let pending: Promise<CallbackTokens> | undefined;

  const read = async (): Promise<CallbackTokens> => {
    try {
      const answer = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      return parseCallbackTokenValue(answer.Parameter?.Value);
    } catch (error) {
      const cause =
        error instanceof CallbackTokenUnavailableError
          ? error.message
          : `${(error as Error).name}: ${(error as Error).message}`;
      throw new CallbackTokenUnavailableError(`SSM parameter ${parameterName} could not be read (${cause})`, {
        cause: error,
      });
    }
  };

  const refresh = (): Promise<CallbackTokens> => {
    if (pending !== undefined) return pending;
    const startedAt = now();
    pending = read()
      .then((tokens) => {
        cached = { tokens, readAt: startedAt };
        return tokens;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const keepCachedTokens = (error: unknown) =>
    writeLog('WARN', 'callback token refresh failed; the cached token stays in use', {
      detail: (error as Error).message,
    });

  // Started now, at cold start; a failure is reported by the callbacks that need the token.
  refresh().catch(() => undefined);

  return {
    current: () => {
      if (cached === undefined) return refresh();
      if (now() - cached.readAt >= refreshAfterMs) refresh().catch(keepCachedTokens);
      return Promise.resolve(cached.tokens);
    },
  };
};

/**
 * The webhook's token source for its settings: the SSM parameter when one is named (the read starts now),
 * else none (the tokens in the environment, if any, are used as they are). A function allowed to run
 * unsigned says so in its log at every cold start.
 */
export const webhookTokenSource = (
  config: WebhookConfig,
  env: NodeJS.ProcessEnv = process.env,
): CallbackTokenSource | undefined => {
  if (config.callbackTokenParameter !== undefined)
    return ssmCallbackTokenSource({ parameterName: config.callbackTokenParameter });
  if (
    env.ALLOW_UNSIGNED_CALLBACKS === 'true' &&
    config.callbackToken === undefined &&
    config.callbackTokenNext === undefined
  ) {
    writeLog('WARN', 'callbacks are accepted unsigned', {
      detail: 'ALLOW_UNSIGNED_CALLBACKS=true and no callback token: anyone who knows the SdkAppid can post events',
    });
  }
  return undefined;
};

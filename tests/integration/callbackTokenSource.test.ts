import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWebhookConfig } from '../../lib/config.js';
import type { EventStore } from '../../lib/eventStore/types.js';
import { RejectionReason } from '../../lib/tencent/rejection.js';
import { CallbackTokenUnavailableError, ssmCallbackTokenSource } from '../../lib/webhook/callbackTokenSource.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { type SsmStandIn, startSsmStandIn } from '../../scripts/stack/ssmStandIn.js';
import { captureLogs } from '../support/captureLogs.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { signedQuery, TEST_SDK_APP_ID, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';

const PARAMETER = '/chat/prod/callback-token';
const NOW = Date.parse('2026-11-22T10:00:00Z');
/** How long a test waits for a background refresh to be seen: it ends at once on any machine, this bounds a stall. */
const BACKGROUND_REFRESH = { timeout: 15_000 } as const;

let ssm: SsmStandIn;
beforeEach(async () => {
  ssm = await startSsmStandIn();
});
afterEach(async () => {
  await ssm.close();
});

const recordingStore = (): EventStore & { recorded: number } => {
  const store = {
    recorded: 0,
    recordEvent: async () => {
      store.recorded += 1;
      return 'recorded' as const;
    },
  };
  return store;
};

describe('the callback token from an SSM SecureString', () => {
  it('is read once, decrypted, as soon as the source is created, and served from the cache afterwards', async () => {
    ssm.parameters.set(PARAMETER, TEST_TOKEN);
    const source = ssmCallbackTokenSource({ parameterName: PARAMETER, client: ssm.client(), now: () => NOW });

    const first = await source.current();
    const second = await source.current();

    expect(first).toEqual({ callbackToken: TEST_TOKEN, callbackTokenNext: undefined });
    expect(second).toEqual(first);
    expect(ssm.requests).toEqual([{ Name: PARAMETER, WithDecryption: true }]);
  });

  it('holds two tokens on two lines while a rotation is under way', async () => {
    ssm.parameters.set(PARAMETER, 'old-token\nnew-token\n');
    const source = ssmCallbackTokenSource({ parameterName: PARAMETER, client: ssm.client() });

    expect(await source.current()).toEqual({ callbackToken: 'old-token', callbackTokenNext: 'new-token' });
  });

  it('names the parameter when it cannot be read, and tries again on the next call', async () => {
    const source = ssmCallbackTokenSource({ parameterName: PARAMETER, client: ssm.client() });

    const failure = await source.current().catch((error: unknown) => error);
    ssm.parameters.set(PARAMETER, TEST_TOKEN);
    const afterFix = await source.current();

    expect(failure).toBeInstanceOf(CallbackTokenUnavailableError);
    expect((failure as Error).message).toContain(PARAMETER);
    expect((failure as Error).message).toContain('ParameterNotFound');
    expect(afterFix.callbackToken).toBe(TEST_TOKEN);
    expect(ssm.requests).toHaveLength(2);
  });

  it('picks up a rotated value after the refresh time without making a request wait for it', async () => {
    ssm.parameters.set(PARAMETER, 'old-token');
    let now = NOW;
    const source = ssmCallbackTokenSource({
      parameterName: PARAMETER,
      client: ssm.client(),
      now: () => now,
      refreshAfterMs: 60_000,
    });
    await source.current();
    ssm.parameters.set(PARAMETER, 'new-token');

    now += 30_000;
    const beforeRefreshTime = await source.current();
    now += 30_000;
    const whileRefreshing = await source.current();
    await expect.poll(() => ssm.requests.length, BACKGROUND_REFRESH).toBe(2);
    await expect.poll(async () => (await source.current()).callbackToken, BACKGROUND_REFRESH).toBe('new-token');

    expect(beforeRefreshTime.callbackToken).toBe('old-token');
    expect(whileRefreshing.callbackToken).toBe('old-token');
  });

  it('keeps the cached token when a refresh fails, and says so in the log', async () => {
    ssm.parameters.set(PARAMETER, 'old-token');
    let now = NOW;
    const source = ssmCallbackTokenSource({
      parameterName: PARAMETER,
      client: ssm.client(),
      now: () => now,
      refreshAfterMs: 60_000,
    });
    await source.current();
    ssm.parameters.delete(PARAMETER);
    const logs = captureLogs();
    try {
      now += 60_000;
      await source.current();
      await expect
        .poll(() => logs.entries().find((entry) => entry.level === 'WARN')?.message, BACKGROUND_REFRESH)
        .toContain('callback token refresh failed');

      expect((await source.current()).callbackToken).toBe('old-token');
      expect(JSON.stringify(logs.entries())).toContain(PARAMETER);
    } finally {
      logs.restore();
    }
  });
});

describe('the webhook with its token in SSM', () => {
  const handlerWith = (store: EventStore) =>
    createWebhookHandler({
      config: readWebhookConfig({
        SDK_APP_ID: TEST_SDK_APP_ID,
        CALLBACK_TOKEN_PARAMETER: PARAMETER,
        ALLOW_UNSIGNED_CALLBACKS: 'false',
      }),
      store,
      now: () => NOW,
      tokenSource: ssmCallbackTokenSource({ parameterName: PARAMETER, client: ssm.client(), now: () => NOW }),
    });

  it('records a callback signed with the stored token and refuses an unsigned one', async () => {
    ssm.parameters.set(PARAMETER, TEST_TOKEN);
    const store = recordingStore();
    const handler = handlerWith(store);

    const signed = await invokeHandler(handler, tencentEvent({ query: signedQuery(NOW) }));
    const unsigned = await invokeHandler(handler, tencentEvent());

    expect(signed.statusCode).toBe(200);
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.envelope.ErrorCode).toBe(RejectionReason.SignMissing.errorCode);
    expect(store.recorded).toBe(1);
  });

  it('answers a signed callback 500 / 50004 while the token is unreadable, an unsigned one 401 as ever', async () => {
    await ssm.close();
    const store = recordingStore();
    const handler = handlerWith(store);

    const [signed, unsigned] = await Promise.all([
      invokeHandler(handler, tencentEvent({ query: signedQuery(NOW) })),
      invokeHandler(handler, tencentEvent()),
    ]);

    expect(signed?.statusCode).toBe(500);
    expect(signed?.envelope).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 50004 });
    // Refused whatever the token: no need to wait for it.
    expect(unsigned?.statusCode).toBe(401);
    expect(unsigned?.envelope.ErrorCode).toBe(RejectionReason.SignMissing.errorCode);
    for (const answer of [signed, unsigned]) expect(answer?.envelope.ErrorInfo).not.toContain(TEST_TOKEN);
    expect(store.recorded).toBe(0);
    ssm = await startSsmStandIn();
  });
});

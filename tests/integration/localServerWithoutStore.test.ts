import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SDK_APP_ID } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';

/**
 * `npm start` with AWS_ENDPOINT_URL_DYNAMODB at an address where no DynamoDB answers: it still starts, and
 * every callback gets the 5xx FAIL envelope within Tencent's 2 s, the first (cold) one included.
 */
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}` });
}, 120_000);

afterAll(async () => {
  await server.stop();
});

const path = `/webhook?SdkAppid=${LOCAL_SDK_APP_ID}&CallbackCommand=Group.CallbackAfterGroupFull&contenttype=json`;

describe('npm start without a reachable DynamoDB', () => {
  it('says so at start-up and goes on', () => {
    expect(server.output()).toMatch(/Could not check table .* at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('answers each callback, the first one included, with 500 and the FAIL envelope within 2 s', async () => {
    for (let delivery = 0; delivery < 3; delivery += 1) {
      const startedAt = performance.now();
      const answer = await postLikeTencent(
        server.port,
        path,
        `{"GroupId":"@TGS#${delivery}","EventTime":"1670574414123"}`,
      );
      const tookMs = performance.now() - startedAt;
      expect(answer.statusCode).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({
        ActionStatus: 'FAIL',
        ErrorCode: 50001,
        ErrorInfo: 'the event could not be recorded; retry later',
      });
      expect(tookMs).toBeLessThan(2_000);
    }
    expect(server.output()).toContain('"outcome":"failed"');
    expect(server.output()).toContain('"replay":{');
  });
});

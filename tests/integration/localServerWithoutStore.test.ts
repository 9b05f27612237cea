import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SDK_APP_ID } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';

/**
 * `npm start` with AWS_ENDPOINT_URL_DYNAMODB at an address where no DynamoDB answers: it still starts, and
 * every callback gets the 5xx FAIL envelope as soon as the connection is refused, the first (cold) one included.
 * Its store deadline (and each attempt's) is an hour: the answer cannot come from a timer, on any machine.
 */
const DEADLINE_NO_ANSWER_WAITS_FOR_MS = 3_600_000;

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}`,
    LOCAL_STORE_DEADLINE_MS: String(DEADLINE_NO_ANSWER_WAITS_FOR_MS),
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const path = `/webhook?SdkAppid=${LOCAL_SDK_APP_ID}&CallbackCommand=Group.CallbackAfterGroupFull&contenttype=json`;

/** The webhook's log lines for failed deliveries, from what the server printed. */
const failureLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { outcome?: string; detail?: string; replay?: unknown })
    .filter((entry) => entry.outcome === 'failed');

describe('npm start without a reachable DynamoDB', () => {
  it('says so at start-up and goes on', () => {
    expect(server.output()).toMatch(/Could not check table .* at http:\/\/127\.0\.0\.1:\d+/);
  });

  it(
    'answers each callback, the first one included, with 500 and the FAIL envelope once the connection is ' + 'refused',
    async () => {
      // Act
      const answers = [];
      for (let delivery = 0; delivery < 3; delivery += 1) {
        answers.push(
          await postLikeTencent(server.port, path, `{"GroupId":"@TGS#${delivery}","EventTime":"1670574414123"}`),
        );
      }

      // Assess: the refused connection ended each write (no timer did), and each delivery is logged for replay
      for (const answer of answers) {
        expect(answer.statusCode).toBe(500);
        expect(JSON.parse(answer.body)).toEqual({
          ActionStatus: 'FAIL',
          ErrorCode: 50001,
          ErrorInfo: 'the event could not be recorded; retry later',
        });
      }
      // The answer can reach the test before the line the server logged on its way out has crossed its stdout pipe
      await expect.poll(() => failureLines(server.output()), { timeout: 10_000 }).toHaveLength(3);
      const failures = failureLines(server.output());
      for (const failure of failures) {
        expect(failure.detail).toMatch(/ECONNREFUSED/);
        expect(failure.replay).toBeDefined();
      }
    },
  );
});

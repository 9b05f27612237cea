import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SDK_APP_ID, LOCAL_TABLE_NAME } from '../../scripts/localSettings.js';
import { type TestTable, startTestTable } from '../support/dynaliteTable.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';

/**
 * `npm start` as a user runs it (serverless-offline serving the bundled function), pointed with
 * AWS_ENDPOINT_URL_DYNAMODB at a dynalite this test owns, so the developer's .data/ is left alone.
 */
let table: TestTable;
let server: LocalServer;
let port: number;

beforeAll(async () => {
  table = await startTestTable();
  server = await startLocalServer({ AWS_ENDPOINT_URL_DYNAMODB: table.dynamo.endpoint });
  port = server.port;
}, 120_000);

afterAll(async () => {
  await server.stop();
  await table.close();
});

const query = (sdkAppId: string) =>
  `/webhook?SdkAppid=${sdkAppId}&CallbackCommand=Group.CallbackAfterGroupFull&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web`;
const sampleBody = '{\n"CallbackCommand": "Group.CallbackAfterGroupFull",\n"GroupId": "@TGS#2J4SZEAEL",\n"EventTime":"1670574414123"\n}';

describe('npm start', () => {
  it('answers a request shaped exactly like Tencent\'s with the OK envelope and records it once', async () => {
    const first = await postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody);
    const retry = await postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody);

    for (const answer of [first, retry]) {
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
    }
    const items = await table.scan(LOCAL_TABLE_NAME);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ groupId: { S: '@TGS#2J4SZEAEL' }, body: { S: sampleBody } });
  });

  it('refuses another app with 403 and the FAIL envelope', async () => {
    const answer = await postLikeTencent(port, query('1400999999'), sampleBody);
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 40301 });
  });

  it('stops on Ctrl-C', async () => {
    expect(await server.stop()).toBe(0);
    await expect(postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody)).rejects.toThrow();
  });
});

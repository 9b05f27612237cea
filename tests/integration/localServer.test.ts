import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SDK_APP_ID, LOCAL_TABLE_NAME } from '../../scripts/stack/localSettings.js';
import { startTestTable, type TestTable } from '../support/dynaliteTable.js';
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
  `/webhook?SdkAppid=${sdkAppId}&CallbackCommand=Group.CallbackAfterGroupFull` +
  '&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web';
const sampleBody =
  '{\n"CallbackCommand": "Group.CallbackAfterGroupFull",\n"GroupId": "@TGS#2J4SZEAEL",\n"EventTime":"1670574414123"\n}';

describe('npm start', () => {
  it("answers a request shaped exactly like Tencent's with the OK envelope and records it once", async () => {
    const first = await postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody);
    const retry = await postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody);

    for (const answer of [first, retry]) {
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
    }
    const items = (await table.scan(LOCAL_TABLE_NAME)).filter((item) => item.sk?.S?.startsWith('EVENT#'));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ groupId: { S: '@TGS#2J4SZEAEL' }, body: { S: sampleBody } });
  });

  it('refuses another app with 403 and the FAIL envelope', async () => {
    const answer = await postLikeTencent(port, query('1400999999'), sampleBody);
    expect(answer.statusCode).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 40301 });
  });

  describe('the read API (open locally; IAM-authorized in AWS)', () => {
    const groupPath = `/groups/${encodeURIComponent('@TGS#2J4SZEAEL')}`;
    const getJson = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as {
          events: { eventTime: number; command: string }[];
          nextCursor: string | null;
        },
      };
    };
    const post = (command: string, body: Record<string, unknown>) =>
      postLikeTencent(
        port,
        `/webhook?SdkAppid=${LOCAL_SDK_APP_ID}&CallbackCommand=${command}&contenttype=json`,
        JSON.stringify({ CallbackCommand: command, GroupId: '@TGS#2J4SZEAEL', ...body }),
      );

    beforeAll(async () => {
      // Delivered out of order: the disband (latest) first, then an attribute set older than the group-full.
      await post('Group.CallbackAfterGroupDestroyed', {
        Type: 'Public',
        Owner_Account: 'leckie',
        Name: 'MyFirstGroup',
        EventTime: '1670574415000',
      });
      await post('Group.CallbackAfterGroupAttrChanged', {
        Type: 'Public',
        OptionType: 'set',
        GroupAttr: [{ key: 'k', value: 'v' }],
        EventTime: '1670574414000',
      });
    });

    it('answers GET /groups/{groupId} (URL-encoded @ and #) with the state', async () => {
      const answer = await getJson(groupPath);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({
        groupId: '@TGS#2J4SZEAEL',
        type: 'Public',
        name: 'MyFirstGroup',
        owner: 'leckie',
        destroyed: true,
        destroyedAt: 1670574415000,
        lastFullAt: 1670574414123,
        fullCount: 1,
        attributes: { k: 'v' },
        lastEventTime: 1670574415000,
        eventCount: 3,
      });
    });

    it('answers 404 with a JSON error for a group never seen', async () => {
      const answer = await getJson(`/groups/${encodeURIComponent('@TGS#never')}`);
      expect(answer).toMatchObject({ status: 404, body: { error: 'GroupNotFound' } });
    });

    it('decodes a path group ID once, as API Gateway does: /groups/pct%2541-X reads pct%41-X, not pctA-X', async () => {
      const full = (GroupId: string) =>
        postLikeTencent(
          port,
          query(LOCAL_SDK_APP_ID),
          JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId, EventTime: '5' }),
        );
      await full('pctA-X');
      expect(await getJson('/groups/pct%2541-X')).toMatchObject({ status: 404 });
      await full('pct%41-X');
      expect(await getJson('/groups/pct%2541-X')).toMatchObject({ status: 200, body: { groupId: 'pct%41-X' } });
    });

    it('pages through the events in EventTime order with the cursor', async () => {
      const seen: number[] = [];
      let path = `${groupPath}/events?limit=2`;
      for (let page = 0; page < 5; page += 1) {
        const answer = await getJson(path);
        expect(answer.status).toBe(200);
        seen.push(...answer.body.events.map((event: { eventTime: number }) => event.eventTime));
        if (answer.body.nextCursor === null) break;
        path = `${groupPath}/events?limit=2&cursor=${answer.body.nextCursor}`;
      }
      expect(seen).toEqual([1670574414000, 1670574414123, 1670574415000]);
    });

    it('filters events by command, and refuses a bad limit with 400', async () => {
      const disbands = await getJson(`${groupPath}/events?command=Group.CallbackAfterGroupDestroyed`);
      expect(disbands.body.events.map((event: { command: string }) => event.command)).toEqual([
        'Group.CallbackAfterGroupDestroyed',
      ]);
      expect(await getJson(`${groupPath}/events?limit=0`)).toMatchObject({
        status: 400,
        body: { error: 'LimitInvalid' },
      });
    });
  });

  it('stops on Ctrl-C', async () => {
    expect(await server.stop()).toBe(0);
    await expect(postLikeTencent(port, query(LOCAL_SDK_APP_ID), sampleBody)).rejects.toThrow();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoServerProcess, startDynamoServerProcess } from '../../scripts/stack/dynamo/dynamoServerProcess.js';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../../scripts/stack/dynamo/localDynamoClient.js';
import { LOCAL_SDK_APP_ID, LOCAL_TABLE_NAME } from '../../scripts/stack/localSettings.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';

/**
 * `npm start` under a burst to one group, laid out as `npm start` runs: the functions in serverless-offline's
 * process, dynalite in a process of its own (here in memory), this test only sending.
 */
let dynamo: DynamoServerProcess;
let server: LocalServer;
let port: number;

beforeAll(async () => {
  dynamo = await startDynamoServerProcess();
  const client = localDynamoClient(dynamo.endpoint);
  await ensureEventsTable(client, LOCAL_TABLE_NAME);
  client.destroy();
  server = await startLocalServer({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  port = server.port;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await dynamo?.stop();
});

describe('npm start, a burst to one group', () => {
  it('answers a burst of 60 group-full and 60 attribute deliveries to two groups all OK, and both states count ' +
    'all 60', async () => {
    const deliver = (command: string, body: Record<string, unknown>) =>
      postLikeTencent(
        port,
        `/webhook?SdkAppid=${LOCAL_SDK_APP_ID}&CallbackCommand=${command}&contenttype=json`,
        JSON.stringify({ CallbackCommand: command, ...body }),
      );
    const burst = Array.from({ length: 60 }, (_, index) => [
      deliver('Group.CallbackAfterGroupFull', { GroupId: '@TGS#burst-full', EventTime: String(1_000 + index) }),
      deliver('Group.CallbackAfterGroupAttrChanged', {
        GroupId: '@TGS#burst-attr',
        OptionType: 'modify',
        GroupAttr: [{ key: `k${index}`, value: String(index) }],
        EventTime: String(1_000 + index),
      }),
    ]).flat();
    const answers = await Promise.all(burst);
    expect(answers.map((answer) => `${answer.statusCode} ${answer.body}`)).toEqual(
      answers.map(() => '200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}'),
    );

    const stateOf = async (groupId: string) =>
      (await fetch(`http://127.0.0.1:${port}/groups/${encodeURIComponent(groupId)}`)).json() as Promise<{
        fullCount: number;
        eventCount: number;
        attributes: Record<string, string>;
      }>;
    // The updates of one group queue in the server's process; a deferred one would be the sweeper's, within seconds
    // on an idle machine. The poll ends as soon as they are all in: its timeout only bounds a busy machine's wait.
    await expect
      .poll(
        async () => {
          const [full, attributes] = await Promise.all([stateOf('@TGS#burst-full'), stateOf('@TGS#burst-attr')]);
          return {
            fullCount: full.fullCount,
            fullEvents: full.eventCount,
            keys: Object.keys(attributes.attributes ?? {}).length,
            attributeEvents: attributes.eventCount,
          };
        },
        { timeout: 90_000, interval: 200 },
      )
      .toEqual({ fullCount: 60, fullEvents: 60, keys: 60, attributeEvents: 60 });
  }, 150_000);
});

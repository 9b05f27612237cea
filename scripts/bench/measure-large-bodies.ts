/**
 * `npm run measure-large-bodies -- [runs]`: how long the webhook takes to record a 324 KB and a 4 MiB
 * disband on an in-memory dynalite on this machine (the whole handler: decoding, parsing, digest, compression,
 * every write, and the inline state update of the local stage), how many items each takes, and a retry of each.
 * A measurement to read, not a test: it asserts nothing and the numbers depend on the machine.
 */
import '../stack/quietNodeVersionWarning.js';
import type { Context } from 'aws-lambda';
import { readWebhookConfig } from '../../lib/config.js';
import { groupStateSortKey } from '../../lib/dynamo/tableKeys.js';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import { applyRecordedItemInline } from '../../lib/groupState/inlineUpdates.js';
import { dynamoGroupStateStore } from '../../lib/groupState/store.js';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { startEmbeddedDynamo } from '../stack/dynamo/embeddedDynamo.js';
import { ensureEventsTable, scanAllItems } from '../stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { LOCAL_SDK_APP_ID } from '../stack/localSettings.js';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from '../tools/largeDisbandBody.js';

const runs = Number(process.argv[2] ?? 5);
process.env.LOG_LEVEL = 'SILENT';
const dynamo = await startEmbeddedDynamo();
const client = localDynamoClient(dynamo.endpoint);
const context = { awsRequestId: 'measure', getRemainingTimeInMillis: () => 6_000 } as unknown as Context;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

for (const [label, members] of [
  ['324 KB', 6_000],
  ['4 MiB', membersForBytes(4 * 1024 * 1024)],
] as const) {
  const recordMs: number[] = [];
  const retryMs: number[] = [];
  let itemsPerEvent = 0;
  let bodyBytes = 0;
  for (let run = 0; run < runs; run += 1) {
    const tableName = `measure-${run}-${members}`;
    await ensureEventsTable(client, tableName);
    const handler = createWebhookHandler({
      config: { ...readWebhookConfig({ SDK_APP_ID: LOCAL_SDK_APP_ID }), tableName },
      store: dynamoEventStore({
        client,
        tableName,
        onRecorded: applyRecordedItemInline(dynamoGroupStateStore({ client, tableName })),
      }),
    });
    const body = largeDisbandBody({ members, groupId: `@TGS#_measure_${run}` });
    bodyBytes = Buffer.byteLength(body);
    for (const times of [recordMs, retryMs]) {
      const event = largeDisbandEvent(body);
      const startedAt = performance.now();
      const answer = await handler(event, context);
      times.push(performance.now() - startedAt);
      if (answer.statusCode !== 200) throw new Error(`answered ${answer.statusCode}: ${answer.body}`);
    }
    const items = await scanAllItems(client, tableName);
    itemsPerEvent = items.filter((item) => item.sk?.S !== groupStateSortKey()).length;
  }
  console.log(
    `${label} disband (${members} members, ${bodyBytes} bytes): recorded in median ${median(recordMs).toFixed(0)} ms ` +
      `(min ${Math.min(...recordMs).toFixed(0)}, max ${Math.max(...recordMs).toFixed(0)}), retry (duplicate) median ` +
      `${median(retryMs).toFixed(0)} ms, ${itemsPerEvent} item(s) besides the state item, ${runs} runs`,
  );
}
client.destroy();
await dynamo.close();

/**
 * `npm run republish -- <groupId>... | --all  [--from <time>] [--to <time>]  [--stage <name>]`: publishes recorded
 * events again from the table, the source of truth: one group's (a Query), or every group's (a Scan), within an
 * event-time range (ISO 8601 or epoch ms, both ends included).
 * `npm run republish -- --queue [--stage <name> --queue-url <url>]`: publishes again what the publish function put in
 * the unpublished-events queue, deleting each message once it is published (docs/events.md, "When publishing fails").
 *
 * Locally: `npm start`'s table and bus (it must run). With `--stage`: that stage's table and bus, with the AWS SDK's
 * usual region and credentials; EVENT_SOURCE when the stage sets `eventSource`.
 */
import '../stack/quietNodeVersionWarning.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { eventEntry } from '../../lib/fanOut/eventEntry.js';
import { publishEntries } from '../../lib/fanOut/publishEntries.js';
import { LOCAL_EVENT_BUS_NAME, readPublishSettings } from '../../lib/fanOut/publishSettings.js';
import { describeError } from '../../lib/log.js';
import { LOCAL_CREDENTIALS, localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { LOCAL_TABLE_NAME } from '../stack/localSettings.js';
import { readRunningStack } from '../stack/runningStack.js';
import { drainUnpublishedQueue } from './republish/drainQueue.js';
import { groupEventItems, recordedEventItem, type TimeRange, tableEventItems } from './republish/recordedEvents.js';
import { parseRepublishArgs } from './republish/republishArgs.js';
import { republishItems } from './republish/republishItems.js';

const request = parseRepublishArgs(process.argv.slice(2));
if ('usage' in request) {
  console.error(request.usage);
  process.exit(2);
}

const settings = readPublishSettings();
const stack = request.stage === undefined ? readRunningStack() : undefined;
if (request.stage === undefined && stack?.eventBusEndpoint === undefined) {
  console.error('npm run republish publishes to the bus of a running npm start: start it first (or give --stage).');
  process.exit(1);
}
const local = stack && { region: 'local', credentials: LOCAL_CREDENTIALS };
const dynamo = stack ? localDynamoClient(stack.dynamodbEndpoint) : new DynamoDBClient({});
const eventBridge = new EventBridgeClient(local ? { ...local, endpoint: stack?.eventBusEndpoint } : {});
const tableName = request.stage ? `tencent-chat-webhooks-${request.stage}-events` : LOCAL_TABLE_NAME;
const entrySettings = {
  eventBusName: request.stage ? `tencent-chat-webhooks-${request.stage}` : LOCAL_EVENT_BUS_NAME,
  source: settings.source,
};
const publish = (entries: Parameters<typeof publishEntries>[1]) => publishEntries(eventBridge, entries);
const origin = stack ? `npm start, pid ${stack.pid}` : 'AWS';
const where = `table ${tableName}, bus ${entrySettings.eventBusName} (${origin})`;

let exitCode = 0;
try {
  if (request.queue) {
    const queueUrl = request.queueUrl ?? stack?.unpublishedQueueUrl;
    if (queueUrl === undefined) {
      console.error('--queue with --stage needs --queue-url (the stack output UnpublishedEventsQueueUrl).');
      process.exit(2);
    }
    const queueEndpoint = stack && new URL(queueUrl).origin;
    const sqs = new SQSClient(local ? { ...local, endpoint: queueEndpoint } : {});
    console.log(`Queue ${queueUrl}, ${where}`);
    const result = await drainUnpublishedQueue({
      sqs,
      queueUrl,
      publish,
      recordedEntry: async (key) => {
        const item = await recordedEventItem(dynamo, tableName, key);
        return item && eventEntry(item, entrySettings);
      },
      republishReceived: (window: TimeRange) =>
        republishItems(tableEventItems(dynamo, tableName, window, 'receivedAt'), entrySettings, publish),
    });
    console.log(
      `${result.republished} queued events published again, ${result.fromTable} from the table for batches ` +
        `given up on; ${result.left} messages left in the queue`,
    );
    if (result.left > 0) exitCode = 1;
    sqs.destroy();
  } else {
    console.log(where);
    const pages = request.all
      ? [tableEventItems(dynamo, tableName, request.range)]
      : request.groupIds.map((groupId) => groupEventItems(dynamo, tableName, groupId, request.range));
    let published = 0;
    let unpublished = 0;
    for (const items of pages) {
      const result = await republishItems(items, entrySettings, publish);
      published += result.published;
      unpublished += result.unpublished;
    }
    console.log(`${published} events published again${unpublished > 0 ? `, ${unpublished} could not be` : ''}`);
    if (unpublished > 0) exitCode = 1;
  }
} catch (error) {
  console.error(`republish failed: ${describeError(error)}`);
  exitCode = 1;
} finally {
  dynamo.destroy();
  eventBridge.destroy();
}
process.exit(exitCode);

/**
 * `npm run group -- <groupId> [--limit N]`: prints a group's state and its most recent events.
 * Without TABLE_NAME: the local store, found as `npm run invoke` finds it (AWS_ENDPOINT_URL_DYNAMODB, else the
 * DynamoDB `npm start` runs, else the data under .data/). With TABLE_NAME: that table, through the AWS SDK's
 * usual region and credentials (e.g. TABLE_NAME=tencent-chat-webhooks-prod-events AWS_PROFILE=ops).
 */
import '../stack/quietNodeVersionWarning.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { describeError } from '../../lib/log.js';
import { openToolDynamo } from '../stack/dynamo/localDynamo.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { exitIfDynamoUnavailable } from '../stack/dynamo/localDynamoUnavailableError.js';
import { LOCAL_TABLE_NAME } from '../stack/localSettings.js';

const DEFAULT_RECENT_EVENTS = 10;

const usage = (): never => {
  console.error('usage: npm run group -- <groupId> [--limit N]   (N from 1 to 100, default 10)');
  process.exit(2);
};

const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const limit = limitAt < 0 ? DEFAULT_RECENT_EVENTS : Number(args[limitAt + 1]);
const groupId = args.filter((_, index) => limitAt < 0 || (index !== limitAt && index !== limitAt + 1))[0];
if (!groupId || !Number.isInteger(limit) || limit < 1 || limit > 100) usage();

const deployedTable = process.env.TABLE_NAME?.trim();
const local = deployedTable ? undefined : await openToolDynamo().catch(exitIfDynamoUnavailable);
const client = local ? localDynamoClient(local.endpoint) : new DynamoDBClient({});
const tableName = deployedTable || LOCAL_TABLE_NAME;

try {
  const reader = dynamoGroupReader({ client, tableName });
  const state = await reader.readState(groupId as string);
  const { events } = await reader.readEvents(groupId as string, { limit, newestFirst: true });
  console.log(
    `Group ${groupId}, table ${tableName} (${local ? `local DynamoDB at ${local.endpoint}, ${local.origin}` : 'AWS'})`,
  );
  console.log(
    state
      ? JSON.stringify(state, null, 2)
      : 'No state: no event of this group has been recorded (or its state is not derived yet).',
  );
  console.log(events.length === 0 ? 'No events.' : `Last ${events.length} events, newest first:`);
  for (const event of events) {
    const when =
      typeof event.eventTime === 'number' ? new Date(event.eventTime).toISOString() : String(event.eventTime);
    const detail = [event.optionType, event.groupAttr ? JSON.stringify(event.groupAttr) : undefined, event.groupName]
      .filter((part) => part !== undefined)
      .join(' ');
    console.log(`  ${when}  ${String(event.command)}  ${detail}`.trimEnd());
  }
  process.exitCode = state || events.length > 0 ? 0 : 1;
} catch (error) {
  console.error(`Could not read table ${tableName}: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  client.destroy();
  await local?.close();
}

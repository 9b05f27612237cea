/**
 * `npm run rebuild-state -- <groupId>... | --all [--stage <name>]`: recomputes each group's state item from
 * its recorded events with the same merge (lib/groupState/rebuildGroupState.ts), prints what changed, and
 * leaves an equal state untouched; safe while the receiver runs (every write is conditional on the version
 * it read). It also commits the body parts of the group's events, as the stream's consumer does for each new one
 * (lib/eventStore/bodyPartExpiry.ts). Use it after a failure, to repair a state, or after MERGE_VERSION changed.
 *
 * Local store by default (found as `npm run invoke` finds it). `--stage <name>` or TABLE_NAME: that deployed
 * table, with the AWS SDK's usual region and credentials (dynamodb:GetItem, Query, PutItem, UpdateItem; Scan for
 * --all).
 */
import '../stack/quietNodeVersionWarning.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { commitGroupBodyParts } from '../../lib/eventStore/bodyPartsCommit.js';
import { RebuildOutcome, rebuildGroupState } from '../../lib/groupState/store.js';
import { describeError } from '../../lib/log.js';
import { openToolDynamo } from '../stack/dynamo/localDynamo.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { exitIfDynamoUnavailable } from '../stack/dynamo/localDynamoUnavailableError.js';
import { LOCAL_TABLE_NAME } from '../stack/localSettings.js';
import { describeRebuild } from './rebuild-state/describeRebuild.js';
import { recordedGroupIds } from './rebuild-state/recordedGroupIds.js';

/** serverless.yml's custom.tableName for a stage. */
const stageTableName = (stage: string): string => `tencent-chat-webhooks-${stage}-events`;

const usage = (): never => {
  console.error(
    'usage: npm run rebuild-state -- <groupId>... | --all   [--stage <name>]   (TABLE_NAME also selects a ' +
      'deployed table)',
  );
  process.exit(2);
};

const args = process.argv.slice(2);
const stageAt = args.indexOf('--stage');
const stage = stageAt < 0 ? undefined : args[stageAt + 1];
if (stageAt >= 0 && (stage === undefined || stage.startsWith('--'))) usage();
const rest = args.filter((_, index) => stageAt < 0 || (index !== stageAt && index !== stageAt + 1));
const all = rest.includes('--all');
const named = rest.filter((arg) => arg !== '--all');
if (all === named.length > 0) usage();

const deployedTable = stage ? stageTableName(stage) : process.env.TABLE_NAME?.trim();
const local = deployedTable ? undefined : await openToolDynamo().catch(exitIfDynamoUnavailable);
const client = local ? localDynamoClient(local.endpoint) : new DynamoDBClient({});
const tableName = deployedTable || LOCAL_TABLE_NAME;

let failed = 0;
let groupsMissingParts = 0;
try {
  console.log(`Table ${tableName} (${local ? `local DynamoDB at ${local.endpoint}, ${local.origin}` : 'AWS'})`);
  const groupIds = all
    ? await recordedGroupIds(client, tableName).catch((error: unknown): never => {
        console.error(`Could not list the groups of table ${tableName}: ${describeError(error)}`);
        process.exit(1);
      })
    : named;
  const tally = new Map<string, number>();
  for (const groupId of groupIds) {
    try {
      const result = await rebuildGroupState({ client, tableName }, groupId);
      console.log(describeRebuild(result));
      const parts = await commitGroupBodyParts(client, tableName, groupId);
      if (parts.committed > 0) console.log(`  body parts committed: ${parts.committed}`);
      if (parts.missing.length > 0) {
        groupsMissingParts += 1;
        console.error(`${groupId}: body parts missing (those events cannot be read): ${parts.missing.join(', ')}`);
      }
      tally.set(result.outcome, (tally.get(result.outcome) ?? 0) + 1);
    } catch (error) {
      failed += 1;
      console.error(`${groupId}: failed: ${describeError(error)}`);
    }
  }
  const counts = Object.values(RebuildOutcome).flatMap((outcome) =>
    tally.has(outcome) ? [`${tally.get(outcome)} ${outcome}`] : [],
  );
  console.log(
    `${groupIds.length} group${groupIds.length === 1 ? '' : 's'}: ${[...counts, `${failed} failed`].join(', ')}`,
  );
} finally {
  client.destroy();
  await local?.close();
}
process.exit(failed + groupsMissingParts > 0 ? 1 : 0);

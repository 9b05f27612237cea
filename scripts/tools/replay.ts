/**
 * `npm run replay -- <log file>...`: records again the deliveries the webhook logged with a `replay` record (its
 * `failed` lines, and the `rejected` lines of requests that passed verification), putting split records back
 * together from their chunk lines. With REPLAY_SEAL_KEY set (as the webhook had it), only records whose seal
 * verifies are recorded; a record logged while the token could not be read is recorded only if its Sign verifies
 * (CALLBACK_TOKEN, or CALLBACK_TOKEN_PARAMETER with --aws). Each goes through the same handler as in AWS, with
 * the clock set to the original receive time, so a delivery already stored is a duplicate: replaying twice is
 * harmless. Each delivery's outcome is the function's own log line (recorded / duplicate / rejected / failed); a
 * summary line ends the run. It exits 1 when a delivery fails again or is not trusted, or a file yields none (the
 * AWS CLI's JSON output is read as well as log lines).
 *
 * Local store by default (as `npm run invoke` finds it). `--aws` writes to the deployed table instead,
 * with the usual AWS credentials and TABLE_NAME, SDK_APP_ID and AWS_REGION set.
 */
import '../stack/quietNodeVersionWarning.js';
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { readWebhookConfig } from '../../lib/config.js';
import { createDynamoClient, RECOVERY_DEADLINE_MS, RecoveryTimeouts } from '../../lib/dynamo/client.js';
import { dynamoEventStore } from '../../lib/eventStore/dynamoEventStore.js';
import { inlineStateUpdatesFor } from '../../lib/groupState/inlineUpdates.js';
import { describeError } from '../../lib/log.js';
import { UntrustedReason } from '../../lib/redrive/admitReplayRecord.js';
import { replayLoggedDelivery, replayTrustOf } from '../../lib/redrive/redriveHandler.js';
import { holdsReplayRecords, logLinesInText, replayRecordsInLog } from '../../lib/redrive/replayRecordsInLog.js';
import type { TencentEnvelope } from '../../lib/tencent/envelope.js';
import { ssmCallbackTokenSource } from '../../lib/webhook/callbackTokenSource.js';
import type { ReplayRecord } from '../../lib/webhook/replayRecord.js';
import { openToolDynamo, useLocalFunctionEnvironment } from '../stack/dynamo/localDynamo.js';
import { exitIfDynamoUnavailable } from '../stack/dynamo/localDynamoUnavailableError.js';

const args = process.argv.slice(2);
const toAws = args.includes('--aws');
const files = args.filter((arg) => arg !== '--aws');
if (files.length === 0) {
  console.error('usage: npm run replay -- [--aws] <log file>... (use - for standard input)');
  process.exit(2);
}
if (toAws && (!process.env.TABLE_NAME || !process.env.SDK_APP_ID)) {
  console.error('--aws needs TABLE_NAME and SDK_APP_ID (and AWS credentials and AWS_REGION)');
  process.exit(2);
}

// A record too large for one log line is split over chunk lines: they are put back together here, from any file.
const linesByFile = files.map((file) => ({
  file,
  lines: logLinesInText(readFileSync(file === '-' ? 0 : file, 'utf8')),
}));
const emptyFiles = linesByFile.filter(({ lines }) => !holdsReplayRecords(lines)).map(({ file }) => file);
for (const file of emptyFiles) console.error(`${file}: no logged delivery to replay (no line with a replay record)`);
const { records, conflicting, incomplete } = replayRecordsInLog(linesByFile.flatMap(({ lines }) => lines));
for (const head of incomplete) {
  console.error(
    `${new Date(head.receivedAt).toISOString()} ${head.query.CallbackCommand ?? '?'}: body chunks ` +
      `${head.bodyChunks.id} missing; add the log lines that hold them`,
  );
}
if (records.length + conflicting.length + incomplete.length === 0) process.exit(1);

const local = toAws ? undefined : await openToolDynamo().catch(exitIfDynamoUnavailable);
if (local) {
  useLocalFunctionEnvironment(local.endpoint);
  process.env.IS_LOCAL = 'true';
}
const config = readWebhookConfig();
const tokenSource =
  config.callbackTokenParameter === undefined
    ? undefined
    : ssmCallbackTokenSource({ parameterName: config.callbackTokenParameter });
const trust = replayTrustOf(config, tokenSource);
const client = createDynamoClient(process.env, RecoveryTimeouts);
// The run ends with the last delivery: wait for each state update.
const inline = inlineStateUpdatesFor(client, config.tableName, { waitMs: RECOVERY_DEADLINE_MS });
const store = dynamoEventStore({
  client,
  tableName: config.tableName,
  retentionDays: config.retentionDays,
  deadlineMs: RECOVERY_DEADLINE_MS,
  // As the function would: inline locally (useLocalFunctionEnvironment), by the table's stream in AWS.
  onRecorded: inline?.onRecorded,
});
const labelOf = (record: Pick<ReplayRecord, 'query' | 'receivedAt'>) =>
  `${new Date(record.receivedAt).toISOString()} ${record.query.CallbackCommand ?? '?'}`;
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
for (const head of conflicting) {
  console.error(`${labelOf(head)}: not recorded: ${UntrustedReason.ChunkConflict}`);
  count('untrusted');
}
for (const record of records) {
  const context = { awsRequestId: `replay-${record.receivedAt}` } as Context;
  const outcome = await replayLoggedDelivery(record, { trust, store, context }).catch((error: unknown) => {
    console.error(`${labelOf(record)}: FAIL ${describeError(error)}`);
    return undefined;
  });
  if (outcome === undefined) {
    count('FAIL');
    continue;
  }
  if ('untrusted' in outcome) {
    const detail = outcome.untrusted.detail === undefined ? '' : ` (${outcome.untrusted.detail})`;
    console.error(`${labelOf(record)}: not recorded: ${outcome.untrusted.reason}${detail}`);
    count('untrusted');
    continue;
  }
  const envelope = JSON.parse(outcome.response.body) as TencentEnvelope;
  if (envelope.ActionStatus === 'FAIL')
    console.error(`${labelOf(record)}: FAIL ${envelope.ErrorCode} ${envelope.ErrorInfo}`);
  count(envelope.ActionStatus);
}
client.destroy();
await local?.close();

const failed = tally.get('FAIL') ?? 0;
const untrusted = tally.get('untrusted') ?? 0;
console.log(
  `replayed ${records.length + conflicting.length} logged deliveries: ${tally.get('OK') ?? 0} OK (recorded or ` +
    `already stored), ${failed} FAIL, ${untrusted} not recorded (not the webhook's record, or its Sign fails)`,
);
if (incomplete.length > 0)
  console.log(`${incomplete.length} logged deliveries left out: their body chunks are not all in the files given`);
process.exit(failed > 0 || untrusted > 0 || incomplete.length > 0 || emptyFiles.length > 0 ? 1 : 0);

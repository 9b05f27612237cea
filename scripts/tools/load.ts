/**
 * `npm run load`: the local server (`npm start`'s serverless-offline, with a Sign check) on a fresh in-memory
 * DynamoDB, loaded on loopback with a concurrent mix of new, repeated and invalid webhooks; then the store
 * is read back. Fails unless every acknowledged event is stored exactly once, no invalid one is stored, and
 * every request is answered, none with a 5xx. LOAD_REQUESTS (default 3000) and LOAD_CONNECTIONS (default 20)
 * bound the run.
 */
import '../stack/quietNodeVersionWarning.js';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EVENT_SORT_KEY_PREFIX } from '../../lib/dynamo/tableKeys.js';
import { scanAllItems } from '../stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../stack/dynamo/localDynamoClient.js';
import { LOCAL_SDK_APP_ID, LOCAL_TABLE_NAME, repositoryRoot } from '../stack/localSettings.js';
import { freePort } from '../stack/process/freePort.js';
import { type LocalServer, startLocalServer, waitForOutput } from '../stack/process/localServerProcess.js';
import { type Answer, percentile, sendConcurrently } from './load/loadClient.js';
import { type LoadRequest, loadMix } from './load/loadMix.js';

const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 3_000);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 20);
const TOKEN = `load-token-${randomUUID()}`;
const RUN_ID = randomUUID().slice(0, 8);
const OK_BODY = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });

const dynamoPort = await freePort();
const dynamo = spawn(
  process.execPath,
  [
    join(repositoryRoot, 'node_modules', 'dynalite', 'cli.js'),
    '--port',
    String(dynamoPort),
    '--createTableMs',
    '0',
    '--host',
    '127.0.0.1',
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const endpoint = `http://127.0.0.1:${dynamoPort}`;
let server: LocalServer | undefined;

const stopAll = () => {
  server?.child.kill('SIGINT');
  dynamo.kill('SIGTERM');
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  await waitForOutput(dynamo, 'listening at', 10_000);
  server = await startLocalServer({
    ...process.env,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    SDK_APP_ID: LOCAL_SDK_APP_ID,
    CALLBACK_TOKEN: TOKEN,
    LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'ERROR',
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const send = (items: LoadRequest[]) =>
    sendConcurrently({
      origin,
      items,
      connections: CONNECTIONS,
      toRequest: (item) => ({ path: item.path(Date.now()), body: item.body }),
    });
  // The first round pays the functions' first load and the first connections to the local DynamoDB.
  const warmUp = await send(
    loadMix({ count: CONNECTIONS * 2, runId: RUN_ID, sdkAppId: LOCAL_SDK_APP_ID, token: TOKEN, label: 'WARMUP' }),
  );
  const measured = await send(loadMix({ count: REQUESTS, runId: RUN_ID, sdkAppId: LOCAL_SDK_APP_ID, token: TOKEN }));
  const { durationMs } = measured;
  const toAnswer = ({ item, status, body, latencyMs }: Answer<LoadRequest>) => ({
    request: item,
    status,
    body,
    latencyMs,
  });
  const warmUpAnswers = warmUp.answers.map(toAnswer);
  const measuredAnswers = measured.answers.map(toAnswer);
  const answers = [...warmUpAnswers, ...measuredAnswers];
  const latencies = measuredAnswers.map((answer) => answer.latencyMs);

  const client = localDynamoClient(endpoint);
  const items = await scanAllItems(client, LOCAL_TABLE_NAME);
  client.destroy();

  const storedPerGroup = new Map<string, number>();
  // Event items only: locally each group also has its state item (GROUP_STATE_UPDATES=inline).
  for (const item of items.filter((candidate) => candidate.sk?.S?.startsWith(EVENT_SORT_KEY_PREFIX))) {
    const groupId = item.groupId?.S ?? '';
    if (groupId.includes(RUN_ID)) storedPerGroup.set(groupId, (storedPerGroup.get(groupId) ?? 0) + 1);
  }
  // Acknowledged means what Tencent takes as success: 200 with the OK envelope.
  const isOk = (answer: { status: number; body: string }) => answer.status === 200 && answer.body === OK_BODY;
  const acknowledged = new Set(
    answers
      .filter((answer) => isOk(answer) && answer.request.kind !== 'invalid')
      .map((answer) => answer.request.groupId),
  );
  const lost = [...acknowledged].filter((groupId) => !storedPerGroup.has(groupId));
  const doubled = [...storedPerGroup].filter(([, count]) => count > 1).map(([groupId]) => groupId);
  const invalidStored = [...storedPerGroup.keys()].filter((groupId) => groupId.startsWith('@TGS#INVALID-'));
  const countStatuses = (list: typeof answers) => {
    const counts: Record<string, number> = {};
    for (const answer of list) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    return counts;
  };
  const serverErrors = answers.filter((answer) => answer.status >= 500).length;
  const isUnexpected = (answer: (typeof answers)[number]) =>
    answer.status !== answer.request.expectedStatus || (answer.status === 200 && !isOk(answer));
  const unexpected = answers.filter(isUnexpected).length;
  const byKind = (kind: LoadRequest['kind']) => measuredAnswers.filter((answer) => answer.request.kind === kind).length;

  console.log(
    `warm-up: ${warmUpAnswers.length} requests, answers by status ${JSON.stringify(countStatuses(warmUpAnswers))}`,
  );
  console.log(
    `load: ${measuredAnswers.length} requests over ${CONNECTIONS} connections on loopback (${byKind('new')} ` +
      `new, ${byKind('duplicate')} repeated, ${byKind('invalid')} invalid)`,
  );
  const statusCounts = countStatuses(measuredAnswers);
  const noAnswer = answers.filter((answer) => answer.status === 0).length;
  console.log(
    `throughput: ${((measuredAnswers.length * 1000) / durationMs).toFixed(0)} requests/s ` +
      `(${(durationMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `latency: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ` +
      `ms, max ${Math.max(...latencies).toFixed(1)} ms`,
  );
  console.log(`answers by status: ${JSON.stringify(statusCounts)} (0 = no answer)`);
  console.log(
    `store (both phases): ${acknowledged.size} events acknowledged, ${storedPerGroup.size} stored; lost ` +
      `${lost.length}, doubled ${doubled.length}, invalid stored ${invalidStored.length}; 5xx ${serverErrors}; ` +
      `unexpected status ${unexpected}`,
  );
  const ok =
    lost.length === 0 &&
    doubled.length === 0 &&
    invalidStored.length === 0 &&
    serverErrors === 0 &&
    unexpected === 0 &&
    noAnswer === 0;
  if (!ok) {
    for (const groupId of [...lost, ...doubled, ...invalidStored].slice(0, 10)) {
      const seen = answers
        .filter((answer) => answer.request.groupId === groupId)
        .map((answer) => `${answer.request.kind}:${answer.status}`);
      console.log(`  ${groupId}: stored ${storedPerGroup.get(groupId) ?? 0}, answers ${seen.join(' ')}`);
    }
    for (const answer of answers.filter(isUnexpected).slice(0, 10)) {
      console.log(
        `  unexpected: ${answer.request.kind} ${answer.request.groupId} expected ` +
          `${answer.request.expectedStatus}, got ${answer.status} ${answer.body.slice(0, 200)}`,
      );
    }
  }
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  if (process.env.LOAD_SERVER_LOG) process.stderr.write(server?.output() ?? '');
  stopAll();
}

/**
 * `npm run load [-- <webhook URL>]`: loads a local server on loopback with a concurrent mix of new, repeated and
 * invalid webhooks, then reads every group of the run back through the read API. Without a URL it starts a server
 * of its own (`npm start`'s serverless-offline, with a Sign check, on a fresh in-memory DynamoDB); with one it
 * loads that server (e.g. a running `npm start`: set CALLBACK_TOKEN and SDK_APP_ID as it has them), whose store
 * keeps the run's events. The first line says which. Fails unless every acknowledged event is stored exactly
 * once, no invalid one is stored, and every request is answered, none with a 5xx. LOAD_REQUESTS (default 3000)
 * and LOAD_CONNECTIONS (default 20) bound the run.
 */
import '../stack/quietNodeVersionWarning.js';
import { randomUUID } from 'node:crypto';
import { LOCAL_SDK_APP_ID } from '../stack/localSettings.js';
import { readRunningStack } from '../stack/runningStack.js';
import { groupsUrlOf } from './groupsUrl.js';
import { type Answer, percentile, sendConcurrently } from './load/loadClient.js';
import { type LoadRequest, loadMix } from './load/loadMix.js';
import { type OwnLoadServer, startOwnLoadServer } from './load/ownLoadServer.js';
import { storedEventCounts } from './load/storedEventCounts.js';

const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 3_000);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 20);
const RUN_ID = randomUUID().slice(0, 8);
const OK_BODY = JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });

const givenUrl = process.argv[2];
if (givenUrl !== undefined && !/^https?:\/\//.test(givenUrl)) {
  console.error('usage: npm run load [-- <webhook URL of a running local server>]');
  process.exit(2);
}
if (givenUrl === undefined) {
  const running = readRunningStack();
  console.log(
    "load: target: a server of its own (npm start's serverless-offline with a callback token, on a fresh " +
      'in-memory DynamoDB), stopped at the end.' +
      (running ? ` To load the running npm start instead: npm run load -- ${running.webhookUrl}` : ''),
  );
} else {
  const signing = process.env.CALLBACK_TOKEN ? 'signed with CALLBACK_TOKEN' : 'unsigned (no CALLBACK_TOKEN)';
  console.log(
    `load: target: ${givenUrl} (a running server; its store keeps the run's events, group IDs ` +
      `@TGS#…-${RUN_ID}-…), ${signing}`,
  );
}

let ownServer: OwnLoadServer | undefined;
process.on('SIGINT', () => {
  void ownServer?.stop().finally(() => process.exit(130));
});

try {
  ownServer = givenUrl === undefined ? await startOwnLoadServer(`load-token-${randomUUID()}`) : undefined;
  const webhookUrl = ownServer?.webhookUrl ?? new URL(givenUrl as string);
  const receiver = {
    sdkAppId: ownServer?.sdkAppId ?? process.env.SDK_APP_ID ?? LOCAL_SDK_APP_ID,
    token: ownServer ? ownServer.token : process.env.CALLBACK_TOKEN || undefined,
    webhookPath: webhookUrl.pathname,
  };
  const origin = webhookUrl.origin;
  const send = (items: LoadRequest[]) =>
    sendConcurrently({
      origin,
      items,
      connections: CONNECTIONS,
      toRequest: (item) => ({ path: item.path(Date.now()), body: item.body }),
    });
  // The first round pays the functions' first load and the first connections to the local DynamoDB.
  const warmUp = await send(loadMix({ count: CONNECTIONS * 2, runId: RUN_ID, ...receiver, label: 'WARMUP' }));
  const measured = await send(loadMix({ count: REQUESTS, runId: RUN_ID, ...receiver }));
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

  const { counts, unreadable } = await storedEventCounts({
    groupsUrl: groupsUrlOf(webhookUrl),
    groupIds: [...new Set(answers.map((answer) => answer.request.groupId))],
    connections: CONNECTIONS,
  });
  const storedPerGroup = new Map([...counts].filter(([, count]) => count > 0));
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
      `${lost.length}, doubled ${doubled.length}, invalid stored ${invalidStored.length}, unreadable ` +
      `${unreadable.length}; 5xx ${serverErrors}; ` +
      `unexpected status ${unexpected}`,
  );
  const ok =
    lost.length === 0 &&
    doubled.length === 0 &&
    invalidStored.length === 0 &&
    serverErrors === 0 &&
    unexpected === 0 &&
    noAnswer === 0 &&
    unreadable.length === 0;
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
    for (const { groupId, answer } of unreadable.slice(0, 10)) console.log(`  unreadable: ${groupId}: ${answer}`);
  }
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  if (process.env.LOAD_SERVER_LOG) process.stderr.write(ownServer?.output() ?? '');
  await ownServer?.stop();
}

/**
 * `npm run smoke -- <stage | webhook URL>`: the check after a deploy. Sends one signed group-full callback for a
 * group of its own (`@SMOKE#<time>`, a prefix Tencent never gives), then reads the event back through the
 * IAM-signed read API, and exits 0, or 1 naming the step that failed. The token: CALLBACK_TOKEN, else the
 * stage's SSM parameter (read with your AWS credentials); with neither the callback goes unsigned.
 * Against `npm start`: `npm run smoke -- http://localhost:3000/webhook`, or `npm run smoke` alone while it runs
 * (its URL from .data/running-stack.json). A URL on this machine is read back unsigned (the local read routes
 * are open): no AWS credentials needed.
 */
import '../stack/quietNodeVersionWarning.js';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { callbackSign } from '../../lib/tencent/callbackSign.js';
import { readRunningStack } from '../stack/runningStack.js';
import { signedGet } from './smoke/sigV4Fetch.js';
import { resolveSmokeTarget } from './smoke/smokeTarget.js';

const COMMAND = 'Group.CallbackAfterGroupFull';

const fail = (step: string, detail: string): never => {
  console.error(`smoke: FAIL ${step}: ${detail}`);
  process.exit(1);
};

const runningWebhookUrl = process.argv[2] === undefined ? readRunningStack()?.webhookUrl : undefined;
const stageOrUrl = process.argv[2] ?? runningWebhookUrl;
if (!stageOrUrl) {
  console.error('usage: npm run smoke -- <stage | webhook URL>   (no argument: the running npm start, if any)');
  process.exit(2);
}
if (runningWebhookUrl) console.log(`smoke: the running npm start, ${runningWebhookUrl}`);

try {
  const target = resolveSmokeTarget(stageOrUrl, process.env);
  const token =
    process.env.CALLBACK_TOKEN ||
    (target.callbackTokenParameter === undefined
      ? undefined
      : (
          await new SSMClient({ region: target.region }).send(
            new GetParameterCommand({ Name: target.callbackTokenParameter, WithDecryption: true }),
          )
        ).Parameter?.Value?.split('\n')[0]?.trim());

  const now = Date.now();
  const groupId = `@SMOKE#${now}`;
  const requestTime = String(Math.floor(now / 1000));
  const webhookUrl = new URL(target.webhookUrl);
  for (const [name, value] of Object.entries({
    SdkAppid: target.sdkAppId,
    CallbackCommand: COMMAND,
    contenttype: 'json',
    ...(token ? { RequestTime: requestTime, Sign: callbackSign(token, requestTime) } : {}),
  })) {
    webhookUrl.searchParams.set(name, value);
  }
  const body = JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, EventTime: String(now) });
  const answer = await fetch(webhookUrl, { method: 'POST', body }).catch((error: Error) =>
    fail('callback', error.message),
  );
  const envelope = await answer.text();
  if (answer.status !== 200 || !envelope.includes('"ActionStatus":"OK"'))
    fail('callback', `HTTP ${answer.status} ${envelope}`);
  console.log(`smoke: callback for ${groupId} answered OK${token ? ' (signed)' : ' (unsigned: no token)'}`);

  const eventsUrl = new URL(
    `${target.groupsUrl.pathname.replace(/\/$/, '')}/${encodeURIComponent(groupId)}/events`,
    target.groupsUrl,
  );
  const read = await (target.signReads ? signedGet(eventsUrl, target.region) : fetch(eventsUrl)).catch((error: Error) =>
    fail('read back', error.message),
  );
  const page = (await read.json().catch(() => ({}))) as { events?: { groupId?: string; command?: string }[] };
  if (read.status !== 200) fail('read back', `HTTP ${read.status} ${JSON.stringify(page)}`);
  const found = page.events?.filter((event) => event.groupId === groupId && event.command === COMMAND) ?? [];
  if (found.length !== 1) fail('read back', `expected the one event of ${groupId}, found ${found.length}`);
  console.log(`smoke: OK: the event is stored and readable at ${eventsUrl.origin}`);
} catch (error) {
  fail('set-up', (error as Error).message);
}

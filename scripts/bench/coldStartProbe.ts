/** Probe: in this fresh process, load one bundle (its init included) and answer one new event. */
import { distinctWebhookEvents } from './distinctWebhookEvents.js';
import { assertAccepted, lambdaContext, loadLambdaHandler } from './lambdaHandlerModule.js';
import { runProbe } from './probeChannel.js';

export interface ColdStartInput {
  bundlePath: string;
  runId: string;
  timeoutMs: number;
}

export interface ColdStartReport {
  /** require() of the bundle: reading, compiling and running its module scope (the function's init). */
  loadMs: number;
  /** Load plus the first invocation, a real DynamoDB write included. */
  firstInvocationMs: number;
}

runProbe<ColdStartInput, ColdStartReport>(async ({ bundlePath, runId, timeoutMs }) => {
  const event = distinctWebhookEvents({
    sdkAppId: process.env.SDK_APP_ID ?? '',
    callbackToken: process.env.CALLBACK_TOKEN || undefined,
    runId,
  })();
  const context = lambdaContext(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench', runId, timeoutMs);

  const started = performance.now();
  const handler = loadLambdaHandler(bundlePath);
  const loaded = performance.now();
  const response = await handler(event, context);
  const answered = performance.now();

  assertAccepted(response);
  return { loadMs: loaded - started, firstInvocationMs: answered - started };
});

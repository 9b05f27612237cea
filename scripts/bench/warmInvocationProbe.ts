/**
 * Probe: both bundles loaded in one process, invoked in alternating pairs with a new event each time, so
 * the machine's noise and the shared DynamoDB's state hit both alike.
 */
import { Contender, type ContenderName, alternatingOrder } from './alternatingOrder.js';
import { distinctWebhookEvents } from './distinctWebhookEvents.js';
import { type LambdaHandler, assertAccepted, lambdaContext, loadLambdaHandler } from './lambdaHandlerModule.js';
import { runProbe } from './probeChannel.js';

export interface WarmInvocationInput {
  bundlePaths: Record<ContenderName, string>;
  runId: string;
  timeoutMs: number;
  warmupPairs: number;
  pairs: number;
  /** Stops early, with the pairs measured so far, when this much time has passed. */
  maxDurationMs: number;
}

export interface WarmInvocationReport {
  webhookMs: number[];
  baselineMs: number[];
  /** Invocations made, warm-up included: each wrote one item. */
  invocations: number;
}

runProbe<WarmInvocationInput, WarmInvocationReport>(async (input) => {
  const handlers: Record<ContenderName, LambdaHandler> = {
    webhook: loadLambdaHandler(input.bundlePaths.webhook),
    baseline: loadLambdaHandler(input.bundlePaths.baseline),
  };
  const nextEvent = distinctWebhookEvents({
    sdkAppId: process.env.SDK_APP_ID ?? '',
    callbackToken: process.env.CALLBACK_TOKEN || undefined,
    runId: input.runId,
  });
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
  let invocations = 0;

  const timedInvocation = async (contender: ContenderName): Promise<number> => {
    const event = nextEvent();
    const context = lambdaContext(functionName, `${input.runId}-${invocations}`, input.timeoutMs);
    const started = performance.now();
    const response = await handlers[contender](event, context);
    const took = performance.now() - started;
    invocations += 1;
    assertAccepted(response);
    return took;
  };

  for (let pair = 0; pair < input.warmupPairs; pair += 1) {
    for (const contender of alternatingOrder(pair)) await timedInvocation(contender);
  }
  const measured: Record<ContenderName, number[]> = { webhook: [], baseline: [] };
  const deadline = performance.now() + input.maxDurationMs;
  for (let pair = 0; pair < input.pairs && performance.now() < deadline; pair += 1) {
    for (const contender of alternatingOrder(pair)) measured[contender].push(await timedInvocation(contender));
  }
  return { webhookMs: measured[Contender.Webhook], baselineMs: measured[Contender.Baseline], invocations };
});

/**
 * Worker process: one bundle loaded, as in a Lambda execution environment, invoked when the bench says so.
 * Each request gets a new event (built before the clock starts); the answer is the invocation's time in ms.
 */
import { distinctWebhookEvents } from './distinctWebhookEvents.js';
import { assertAccepted, lambdaContext, loadLambdaHandler } from './lambdaHandlerModule.js';

export interface WarmWorkerInput {
  bundlePath: string;
  runId: string;
  timeoutMs: number;
}

export type WarmWorkerRequest = { type: 'invoke' } | { type: 'stop' };
export type WarmWorkerReply = { type: 'ready' } | { type: 'invoked'; ms: number } | { type: 'failed'; error: string };

const send = (reply: WarmWorkerReply) => process.send?.(reply);

const { bundlePath, runId, timeoutMs } = JSON.parse(process.argv[2] ?? '{}') as WarmWorkerInput;
const handler = loadLambdaHandler(bundlePath);
const nextEvent = distinctWebhookEvents({
  sdkAppId: process.env.SDK_APP_ID ?? '',
  callbackToken: process.env.CALLBACK_TOKEN || undefined,
  runId,
});
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
let invocations = 0;

const invokeOnce = async (): Promise<number> => {
  const event = nextEvent();
  const context = lambdaContext(functionName, `${runId}-${invocations}`, timeoutMs);
  invocations += 1;
  const started = performance.now();
  const response = await handler(event, context);
  const took = performance.now() - started;
  assertAccepted(response);
  return took;
};

process.on('message', (request: WarmWorkerRequest) => {
  if (request.type === 'stop') {
    process.exit(0);
  }
  invokeOnce().then(
    (ms) => send({ type: 'invoked', ms }),
    (error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
send({ type: 'ready' });

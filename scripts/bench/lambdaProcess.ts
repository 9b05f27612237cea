/**
 * Child process of the bench: one Lambda execution environment. It requires a bundle as the Lambda runtime
 * does (CommonJS, its init included) and answers over IPC. `cold`: load, answer one new event at once, report
 * both times and exit. `warm`: load, then answer each `invoke` with `count` new events (built before the
 * clock starts) and report their mean, until `stop`. Built to plain CommonJS and run by plain `node`.
 */
import { createRequire } from 'node:module';
import type { Context } from 'aws-lambda';
import { distinctWebhookEvents } from './webhookEvents.js';

export interface LambdaProcessInput {
  mode: 'cold' | 'warm';
  bundlePath: string;
  /** Distinguishes this process's events from every other process's in the same table. */
  runId: string;
  timeoutMs: number;
  /** The token each event is signed with, wherever the function reads its own from. */
  signingToken: string;
}

export type LambdaProcessRequest = { type: 'invoke'; count: number } | { type: 'stop' };

export type LambdaProcessReply =
  | { type: 'cold'; loadMs: number; firstInvocationMs: number }
  | { type: 'ready' }
  | { type: 'invoked'; meanMs: number }
  | { type: 'failed'; error: string };

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const loadLambdaHandler = (bundlePath: string): LambdaHandler => {
  const module = createRequire(bundlePath)(bundlePath) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${bundlePath} exports no handler function`);
  return module.handler as LambdaHandler;
};

/** The parts of a Lambda context the function may read, with the deployed timeout left on the clock. */
const lambdaContext = (requestId: string, timeoutMs: number): Context => {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench';
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/** An invocation only counts when it was accepted: a refused request is cheap and would flatter the numbers. */
const assertAccepted = (response: unknown): void => {
  const { statusCode, body } = (response ?? {}) as { statusCode?: unknown; body?: unknown };
  const envelope = typeof body === 'string' ? (JSON.parse(body) as { ActionStatus?: unknown }) : {};
  if (statusCode !== 200 || envelope.ActionStatus !== 'OK')
    throw new Error(`invocation not accepted: ${statusCode} ${String(body)}`);
};

const reply = (message: LambdaProcessReply): Promise<void> =>
  new Promise((resolve) => (process.send ? process.send(message, undefined, {}, () => resolve()) : resolve()));

const failed = (error: unknown): LambdaProcessReply => ({
  type: 'failed',
  error: error instanceof Error ? (error.stack ?? error.message) : String(error),
});

const run = async ({ mode, bundlePath, runId, timeoutMs, signingToken }: LambdaProcessInput): Promise<void> => {
  const nextEvent = distinctWebhookEvents({
    sdkAppId: process.env.SDK_APP_ID ?? '',
    callbackToken: signingToken,
    runId,
  });
  let invocations = 0;
  const nextInvocation = () => {
    invocations += 1;
    return { event: nextEvent(), context: lambdaContext(`${runId}-${invocations}`, timeoutMs) };
  };

  if (mode === 'cold') {
    const { event, context } = nextInvocation();
    const started = performance.now();
    const handler = loadLambdaHandler(bundlePath);
    const loaded = performance.now();
    const response = await handler(event, context);
    const answered = performance.now();
    assertAccepted(response);
    await reply({ type: 'cold', loadMs: loaded - started, firstInvocationMs: answered - started });
    // The SDK's idle sockets would keep the process alive.
    process.exit(0);
  }

  const handler = loadLambdaHandler(bundlePath);
  process.on('message', (request: LambdaProcessRequest) => {
    if (request.type === 'stop') process.exit(0);
    const batch = Array.from({ length: request.count }, nextInvocation);
    void (async () => {
      const responses: unknown[] = [];
      const started = performance.now();
      for (const { event, context } of batch) responses.push(await handler(event, context));
      const meanMs = (performance.now() - started) / batch.length;
      responses.forEach(assertAccepted);
      return meanMs;
    })().then(
      (meanMs) => reply({ type: 'invoked', meanMs }),
      (error: unknown) => reply(failed(error)),
    );
  });
  await reply({ type: 'ready' });
};

run(JSON.parse(process.argv[2] ?? '{}') as LambdaProcessInput).catch(async (error: unknown) => {
  await reply(failed(error));
  process.exit(1);
});

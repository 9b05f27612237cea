import { createRequire } from 'node:module';
import type { Context } from 'aws-lambda';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Requires a bundle as the Lambda runtime does (CommonJS), which runs its init, and returns its `handler`. */
export const loadLambdaHandler = (bundlePath: string): LambdaHandler => {
  const module = createRequire(bundlePath)(bundlePath) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${bundlePath} exports no handler function`);
  return module.handler as LambdaHandler;
};

/** The parts of a Lambda context the function may read, with the deployed timeout left on the clock. */
export const lambdaContext = (functionName: string, requestId: string, timeoutMs: number): Context => {
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

/** The invocation only counts when it was accepted: a refused request is cheap and would flatter the numbers. */
export const assertAccepted = (response: unknown): void => {
  const { statusCode, body } = (response ?? {}) as { statusCode?: unknown; body?: unknown };
  const envelope = typeof body === 'string' ? (JSON.parse(body) as { ActionStatus?: unknown }) : {};
  if (statusCode !== 200 || envelope.ActionStatus !== 'OK') {
    throw new Error(`invocation not accepted: ${statusCode} ${String(body)}`);
  }
};

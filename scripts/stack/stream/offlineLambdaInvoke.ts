import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamFunction } from './streamPoller.js';

/** How long to wait for serverless-offline to listen, polling every half second. */
const STARTUP_ATTEMPTS = 240;

/**
 * Invokes a function through serverless-offline's Lambda Invoke endpoint (its `lambdaPort`), the way the
 * event source mapping invokes it in AWS: the bundled function, its environment, its role in the template
 * aside. A function error (X-Amz-Function-Error) is thrown, as the mapping sees it.
 */
export const offlineLambdaInvoker = (lambdaPort: number, functionName: string): StreamFunction =>
  async function invokeThroughOffline(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const url = `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${functionName}/invocations`;
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', body: JSON.stringify(event) });
      } catch (error) {
        if (attempt >= STARTUP_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      const body = await response.text();
      if (!response.ok || response.headers.get('x-amz-function-error'))
        throw new Error(`${functionName} failed (${response.status}): ${body}`);
      return (body ? JSON.parse(body) : { batchItemFailures: [] }) as DynamoDBBatchResponse;
    }
  };

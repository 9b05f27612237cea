import '../../scripts/stack/quietNodeVersionWarning.js';
import type { TestProject } from 'vitest/node';
import { dynamodbLocalUnavailableReason, startDynamodbLocal } from '../../scripts/stack/dynamo/dynamodbLocal.js';

/**
 * Vitest global setup: one DynamoDB Local (Java) for the whole run, shared by the test files that run on
 * both engines (each test makes its own table). Where Java is missing, those tests skip and say why.
 */
export default async function startDynamodbLocalForTests(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  const unavailable = dynamodbLocalUnavailableReason();
  if (unavailable !== undefined) {
    console.warn(`DynamoDB Local tests are skipped: ${unavailable}`);
    project.provide('dynamodbLocal', { unavailable });
    return undefined;
  }
  const local = await startDynamodbLocal();
  project.provide('dynamodbLocal', { endpoint: local.endpoint });
  return () => local.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbLocal: { endpoint?: string; unavailable?: string };
  }
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  createDynamoClient,
  DYNAMO_DEADLINE_MS,
  SDK_LOGGER_MIDDLEWARE,
  storeDeadlineMs,
} from '../../../lib/dynamo/client.js';

describe('createDynamoClient', () => {
  const endpointOf = async (env: NodeJS.ProcessEnv) => {
    const client = createDynamoClient(env);
    try {
      const endpoint = await client.config.endpoint?.();
      return endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
    } finally {
      client.destroy();
    }
  };

  it('points serverless-offline and invoke local at the embedded DynamoDB by default', async () => {
    expect(await endpointOf({ IS_OFFLINE: 'true' })).toBe('http://localhost:8000');
    expect(await endpointOf({ IS_LOCAL: 'true', DYNAMODB_PORT: '8111' })).toBe('http://localhost:8111');
    expect(await endpointOf({ IS_LOCAL: 'true', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000' })).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('leaves the endpoint to the SDK in AWS', async () => {
    expect(await endpointOf({ AWS_REGION: 'eu-west-1' })).toBeUndefined();
  });

  it('gives the store 1 s in AWS, and LOCAL_STORE_DEADLINE_MS only under the local tools', () => {
    expect(storeDeadlineMs({})).toBe(DYNAMO_DEADLINE_MS);
    expect(storeDeadlineMs({ LOCAL_STORE_DEADLINE_MS: '5000' })).toBe(DYNAMO_DEADLINE_MS);
    expect(storeDeadlineMs({ IS_OFFLINE: 'true', LOCAL_STORE_DEADLINE_MS: '5000' })).toBe(5_000);
    expect(storeDeadlineMs({ IS_LOCAL: 'true', LOCAL_STORE_DEADLINE_MS: '5000' })).toBe(5_000);
    expect(storeDeadlineMs({ IS_OFFLINE: 'true', LOCAL_STORE_DEADLINE_MS: 'soon' })).toBe(DYNAMO_DEADLINE_MS);
    expect(storeDeadlineMs({ IS_OFFLINE: 'true' })).toBe(DYNAMO_DEADLINE_MS);
  });

  it("resolves its middleware stack once per command (the SDK's cacheMiddleware), not at every send", () => {
    const client = createDynamoClient({ AWS_REGION: 'eu-west-1' });
    try {
      expect(client.config.cacheMiddleware).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it("leaves out the SDK's request logging, which only feeds its no-op logger, and keeps the rest of its stack", () => {
    const plain = new DynamoDBClient({ region: 'eu-west-1' });
    const ours = createDynamoClient({ AWS_REGION: 'eu-west-1' });
    try {
      const plainNames = plain.middlewareStack.identify();
      const ourNames = ours.middlewareStack.identify();

      expect(plainNames.some((name) => name.startsWith(`${SDK_LOGGER_MIDDLEWARE} `))).toBe(true);
      expect(ourNames).toEqual(plainNames.filter((name) => !name.startsWith(`${SDK_LOGGER_MIDDLEWARE} `)));
    } finally {
      plain.destroy();
      ours.destroy();
    }
  });
});

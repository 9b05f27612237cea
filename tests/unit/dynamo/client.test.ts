import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../lib/dynamo/client.js';

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
    expect(await endpointOf({ IS_LOCAL: 'true', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000' })).toBe('http://127.0.0.1:9000');
  });

  it('leaves the endpoint to the SDK in AWS', async () => {
    expect(await endpointOf({ AWS_REGION: 'eu-west-1' })).toBeUndefined();
  });
});

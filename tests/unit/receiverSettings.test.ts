import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../lib/dynamoClient.js';
import { LOCAL_TABLE_NAME, readReceiverConfig } from '../../lib/receiverConfig.js';

describe('readReceiverConfig', () => {
  it('reads the documented variables', () => {
    expect(
      readReceiverConfig({ SDK_APP_ID: ' 1400123456 ', CALLBACK_TOKEN: 'tok', TABLE_NAME: 'events-prod', EVENT_RETENTION_DAYS: '30' }),
    ).toEqual({
      sdkAppId: '1400123456',
      callbackToken: 'tok',
      maxClockSkewSeconds: 60,
      tableName: 'events-prod',
      retentionDays: 30,
    });
  });

  it('treats empty or unusable values as unset', () => {
    expect(readReceiverConfig({ SDK_APP_ID: '', CALLBACK_TOKEN: '', TABLE_NAME: ' ', EVENT_RETENTION_DAYS: 'forever' })).toEqual({
      sdkAppId: '',
      callbackToken: undefined,
      maxClockSkewSeconds: 60,
      tableName: LOCAL_TABLE_NAME,
      retentionDays: undefined,
    });
    expect(readReceiverConfig({ EVENT_RETENTION_DAYS: '-3' }).retentionDays).toBeUndefined();
  });

  it('reads the rotation token and the freshness window', () => {
    const config = readReceiverConfig({ CALLBACK_TOKEN: 'old', CALLBACK_TOKEN_NEXT: 'new', CALLBACK_MAX_SKEW_SECONDS: '300' });
    expect(config).toMatchObject({ callbackToken: 'old', callbackTokenNext: 'new', maxClockSkewSeconds: 300 });
    expect(config.problem).toBeUndefined();
  });

  it.each(['0', '-5', '1.5', 'sixty', '3601'])(
    'names CALLBACK_MAX_SKEW_SECONDS=%s as the problem instead of guessing a window',
    (value) => {
      const config = readReceiverConfig({ SDK_APP_ID: '1400123456', CALLBACK_MAX_SKEW_SECONDS: value });
      expect(config.problem).toBe('CALLBACK_MAX_SKEW_SECONDS must be a whole number of seconds from 1 to 3600');
    },
  );
});

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

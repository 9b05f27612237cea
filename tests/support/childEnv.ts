import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment for a child process that must see the local defaults (the sample events' SdkAppid,
 * no token, no DynamoDB or data folder of the developer's choosing) whatever the developer's shell exports.
 */
export const envWithoutReceiverSettings = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const {
    SDK_APP_ID: _appId,
    CALLBACK_TOKEN: _token,
    CALLBACK_TOKEN_NEXT: _nextToken,
    CALLBACK_MAX_SKEW_SECONDS: _skew,
    CALLBACK_TOKEN_PARAMETER: _tokenParameter,
    ALLOW_UNSIGNED_CALLBACKS: _allowUnsigned,
    GROUP_STATE_UPDATES: _stateUpdates,
    AWS_ENDPOINT_URL_DYNAMODB: _endpoint,
    LOCAL_DATA_DIR: _dataDirectory,
    LOCAL_DYNAMODB: _engine,
    DYNAMODB_PORT: _dynamodbPort,
    ...env
  } = process.env;
  return { ...env, ...extra };
};

/**
 * For `extra`: no AWS credentials from the environment, the shared files or the instance metadata, so the SDK's
 * default chain finds none (as on a laptop that never ran `aws configure`).
 */
export const withoutAwsCredentials = (): NodeJS.ProcessEnv => {
  const nowhere = join(tmpdir(), 'no-aws-config-here');
  return {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_CONFIG_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
};

import { LOCAL_CREDENTIALS } from '../local/localDynamoClient.js';
import type { PackagedFunction } from './packagedFunction.js';

/**
 * The environment a deployed function sees: its own variables from the package, the ones the Lambda runtime
 * sets, and credentials. Nothing else is inherited from the developer's shell (no AWS_PROFILE, no NODE_OPTIONS,
 * no IS_LOCAL): the function takes its deployed code path, and only the SDK's own AWS_ENDPOINT_URL_DYNAMODB
 * points it at the local DynamoDB.
 */
export const lambdaEnvironment = (packaged: PackagedFunction, dynamoEndpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  AWS_EXECUTION_ENV: `AWS_Lambda_${packaged.runtime}`,
  AWS_LAMBDA_FUNCTION_NAME: packaged.deployedName,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(packaged.memorySize),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_REGION: packaged.region,
  AWS_DEFAULT_REGION: packaged.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  // Lambda's nodejs22.x prints no such notice; the local Node 20 would, once per process.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...packaged.environment,
});

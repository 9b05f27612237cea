import { join } from 'node:path';
import { readTableName } from '../../../lib/config.js';
import publishStreamSource from '../../../lib/fanOut/publishStreamSource.json' with { type: 'json' };
import type { LocalDynamo } from '../dynamo/localDynamo.js';
import { localDynamoClient } from '../dynamo/localDynamoClient.js';
import { DEFAULT_OFFLINE_LAMBDA_PORT, localDataDirectory, portFrom } from '../localSettings.js';
import { followTableStream, localFunctionName } from './followTableStream.js';
import { offlineLambdaInvoker } from './offlineLambdaInvoke.js';
import { fileStreamCheckpoint } from './streamCheckpoint.js';
import type { StreamMappingSettings } from './streamPoller.js';
import { startTableScanFeed } from './tableScanFeed.js';

/** The publish function's mapping, as serverless.yml takes it from the same file. */
export const publishMappingSettings = publishStreamSource as StreamMappingSettings;

/**
 * What hands `npm start`'s new events to the publish function (lib/fanOut/), as its event source mapping does in AWS:
 * DynamoDB Local's stream, or on an engine without one a feed that scans the table for new event items. Each keeps
 * where it got to under .data/, so a restart publishes what is new and nothing twice.
 */
export const startPublishFollower = (
  dynamo: LocalDynamo,
  env: NodeJS.ProcessEnv = process.env,
): { stop(): Promise<void> } => {
  const progressFile = (kind: string) => join(localDataDirectory, `publish-${kind}.${dynamo.engine}.json`);
  if (dynamo.streams) {
    const checkpoint = fileStreamCheckpoint(progressFile('checkpoint'));
    return followTableStream(
      dynamo.endpoint,
      { functionName: 'publish', settings: publishMappingSettings, checkpoint },
      env,
    );
  }
  const client = localDynamoClient(dynamo.endpoint);
  const feed = startTableScanFeed({
    client,
    tableName: readTableName(env),
    invoke: offlineLambdaInvoker(
      portFrom(env.OFFLINE_LAMBDA_PORT, DEFAULT_OFFLINE_LAMBDA_PORT),
      localFunctionName('publish'),
    ),
    batchSize: publishMappingSettings.batchSize,
    handedOnFile: progressFile('handed-on'),
  });
  return {
    async stop() {
      await feed.stop();
      client.destroy();
    },
  };
};

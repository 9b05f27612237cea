import { createDynamoClient } from '../lib/dynamoClient.js';
import { dynamoGroupStateStore } from '../lib/dynamoGroupStateStore.js';
import { createGroupStateStreamHandler } from '../lib/groupStateStreamHandler.js';
import { readReceiverConfig } from '../lib/receiverConfig.js';

/** DynamoDB stream of the events table → each group's state item (GROUP_STATE_UPDATES=stream, the AWS default). */
export const handler = createGroupStateStreamHandler({
  store: dynamoGroupStateStore({ client: createDynamoClient(), tableName: readReceiverConfig().tableName }),
});

import { readTableName } from '../lib/config.js';
import { createDynamoClient } from '../lib/dynamo/client.js';
import { dynamoGroupStateStore } from '../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../lib/groupState/streamHandler.js';

/** DynamoDB stream of the events table → each group's state item (GROUP_STATE_UPDATES=stream, the AWS default). */
export const handler = createGroupStateStreamHandler({
  store: dynamoGroupStateStore({ client: createDynamoClient(), tableName: readTableName() }),
});

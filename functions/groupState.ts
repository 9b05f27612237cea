import { readTableName } from '../lib/config.js';
import { createDynamoClient } from '../lib/dynamo/client.js';
import { dynamoBodyPartsCommitter } from '../lib/eventStore/bodyPartsCommit.js';
import { dynamoGroupStateStore } from '../lib/groupState/store.js';
import { createGroupStateStreamHandler } from '../lib/groupState/streamHandler.js';

const client = createDynamoClient();
const tableName = readTableName();

/**
 * DynamoDB stream of the events table → each group's state item (GROUP_STATE_UPDATES=stream, the AWS default), and
 * the commit of each new event's body parts.
 */
export const handler = createGroupStateStreamHandler({
  store: dynamoGroupStateStore({ client, tableName }),
  commitBodyParts: dynamoBodyPartsCommitter(client, tableName),
});

import { createDynamoClient } from '../lib/dynamoClient.js';
import { dynamoGroupReader } from '../lib/groupReader.js';
import { createGroupsApiHandler } from '../lib/groupsApiHandler.js';
import { readReceiverConfig } from '../lib/receiverConfig.js';

/** GET /groups/{groupId} and GET /groups/{groupId}/events (IAM-authorized in AWS, open locally). */
export const handler = createGroupsApiHandler({
  reader: dynamoGroupReader({ client: createDynamoClient(), tableName: readReceiverConfig().tableName }),
});

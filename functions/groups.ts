import { readTableName } from '../lib/config.js';
import { createDynamoClient } from '../lib/dynamo/client.js';
import { createGroupsApiHandler } from '../lib/groupsApi/handler.js';
import { dynamoGroupReader } from '../lib/groupsApi/reader.js';

/** GET /groups/{groupId} and GET /groups/{groupId}/events (IAM-authorized in AWS, open locally). */
export const handler = createGroupsApiHandler({
  reader: dynamoGroupReader({ client: createDynamoClient(), tableName: readTableName() }),
});

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { publishEntries } from '../lib/fanOut/publishEntries.js';
import { readPublishSettings } from '../lib/fanOut/publishSettings.js';
import { createPublishStreamHandler } from '../lib/fanOut/streamHandler.js';
import { sqsUnpublishedQueue } from '../lib/fanOut/unpublishedQueue.js';

const { eventBusName, source, unpublishedQueueUrl } = readPublishSettings();
const eventBridge = new EventBridgeClient({});

/** DynamoDB stream of the events table → the stage's EventBridge bus (docs/events.md). */
export const handler = createPublishStreamHandler({
  settings: { eventBusName, source },
  publish: (entries) => publishEntries(eventBridge, entries),
  queueUnpublished: sqsUnpublishedQueue(new SQSClient({}), unpublishedQueueUrl),
});

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { toAttributeMap } from '../dynamo/attributeValue.js';
import { eventSortKey, groupPartitionKey } from '../dynamo/tableKeys.js';
import type { ValidatedGroupEvent } from '../tencent/delivery.js';

/** Where an item's eventTime came from: Tencent's EventTime, or our receive time when the request had none. */
export const EventTimeSource = { Tencent: 'tencent', Received: 'received' } as const;
export type EventTimeSourceName = (typeof EventTimeSource)[keyof typeof EventTimeSource];

const stringOrNull = (value: string | undefined): AttributeValue =>
  value === undefined ? { NULL: true } : { S: value };

/**
 * The DynamoDB item for one event, its body as text; lib/eventStore/bodyLayout.ts stores a large body otherwise.
 * docs/reference.md, "The event item", documents every attribute.
 */
export const eventItem = (
  event: ValidatedGroupEvent,
  eventTime: number,
  eventTimeSource: EventTimeSourceName,
  expiresAt: number | undefined,
): Record<string, AttributeValue> => ({
  ...toAttributeMap(event.fields),
  pk: { S: groupPartitionKey(event.groupId) },
  sk: { S: eventSortKey(eventTime, event.deliveryId) },
  groupId: { S: event.groupId },
  command: { S: event.command },
  eventTime: { N: String(eventTime) },
  eventTimeSource: { S: eventTimeSource },
  deliveryId: { S: event.deliveryId },
  sdkAppId: { S: event.sdkAppId },
  clientIp: stringOrNull(event.clientIp),
  optPlatform: stringOrNull(event.optPlatform),
  receivedAt: { N: String(event.receivedAt) },
  body: { S: event.rawBody },
  ...(event.shapeNotes.length === 0 ? {} : { shapeNotes: { L: event.shapeNotes.map((note) => ({ S: note })) } }),
  ...(expiresAt === undefined ? {} : { expiresAt: { N: String(expiresAt) } }),
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { ItemImage } from '../../lib/dynamo/attributeValue.js';
import { ENTRY_LIMIT_BYTES, entrySizeBytes, eventEntry } from '../../lib/fanOut/eventEntry.js';
import {
  DEFAULT_EVENT_SOURCE,
  DetailType,
  type GroupDisbandedDetail,
  type GroupEventDetail,
} from '../../lib/fanOut/publishedEvent.js';
import { createGroupsApiHandler } from '../../lib/groupsApi/handler.js';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';
import { lambdaImage } from '../../scripts/stack/stream/lambdaImage.js';
import { largeDisbandBody } from '../../scripts/tools/largeDisbandBody.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { documentedDetail } from '../support/eventSchemas.js';
import { groupEventRequest } from '../support/groupsApiRequest.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

const SETTINGS = { eventBusName: 'tencent-chat-webhooks-test', source: DEFAULT_EVENT_SOURCE };
const DESTROYED = 'Group.CallbackAfterGroupDestroyed';

const documented = (entry: PutEventsRequestEntry): GroupEventDetail =>
  documentedDetail(entry.DetailType, entry.Detail ?? '');

describe('the published event of a recorded item', () => {
  const table = useFreshTablePerTest();
  const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));
  const record = (event: Parameters<typeof invokeHandler>[1]) =>
    invokeHandler(inlineStateWebhook(table.client, table.tableName), event);
  const sampleFiles = readdirSync(join(repositoryRoot, 'events')).filter((file) => /^(group|noted)-/.test(file));

  it.each(sampleFiles)('events/%s: its documented detail type, time and detail, the body as received', async (file) => {
    // Act
    const sampleText = readFileSync(join(repositoryRoot, 'events', file), 'utf8');
    const sample = JSON.parse(sampleText);
    await record(JSON.parse(sampleText));
    const [item] = await eventItems();
    const entry = eventEntry(item as ItemImage, SETTINGS);

    // Assess
    expect(entry).toBeDefined();
    if (entry === undefined) return;
    const detail = documented(entry);
    expect(entry.Source).toBe(DEFAULT_EVENT_SOURCE);
    expect(entry.EventBusName).toBe(SETTINGS.eventBusName);
    expect(entry.DetailType).toBe(DetailType[item?.command?.S as keyof typeof DetailType]);
    expect(entry.Time).toEqual(new Date(Number(item?.eventTime?.N)));
    const encodedGroupId = encodeURIComponent(item?.groupId?.S ?? '');
    expect(detail).toMatchObject({
      groupId: item?.groupId?.S,
      command: item?.command?.S,
      deliveryId: item?.deliveryId?.S,
      body: sample.isBase64Encoded ? Buffer.from(sample.body, 'base64').toString('utf8') : sample.body,
      bodyPath: `/groups/${encodedGroupId}/events/${item?.eventTime?.N}-${item?.deliveryId?.S}`,
    });
    expect(detail).not.toHaveProperty('pk');
    expect(detail).not.toHaveProperty('expiresAt');
  });

  it('is the same from a stream record (binaries in base64) as from the item the SDK reads', async () => {
    // Arrange: a disband whose item holds its body compressed
    await record(tencentEvent({ command: DESTROYED, rawBody: largeDisbandBody({ members: 8_000 }) }));
    const [item] = await eventItems();
    expect(item?.bodyGzip?.B).toBeDefined();

    // Act
    const fromSdk = eventEntry(item as ItemImage, SETTINGS);
    const fromStream = eventEntry(lambdaImage(item) as ItemImage, SETTINGS);

    // Assess
    expect(fromStream).toEqual(fromSdk);
  });

  it.each([
    ['a body stored as text, the entry too large with it', 4_600],
    ['a body compressed in the item', 8_000],
    ['a body stored in parts (4 MiB)', 77_700],
  ])(
    '%s: the body is left out (the member list too when the entry needs it), and read whole at bodyPath',
    async (_, members) => {
      // Arrange
      const body = largeDisbandBody({ members });
      await record(tencentEvent({ command: DESTROYED, rawBody: body }));
      const [item] = await eventItems();

      // Act
      const entry = eventEntry(item as ItemImage, SETTINGS);

      // Assess
      expect(entry).toBeDefined();
      if (entry === undefined) return;
      expect(entrySizeBytes(entry)).toBeLessThan(ENTRY_LIMIT_BYTES);
      const detail = documented(entry) as GroupDisbandedDetail;
      expect(detail).toMatchObject({ bodyOmitted: true, memberCount: members });
      expect(detail.body).toBeUndefined();
      // The member list, when it is left out too, is named as the item names what it left out
      if (detail.memberAccounts === undefined) expect(detail.typedFieldsOmitted).toContain('memberAccounts');
      else expect(detail.memberAccounts).toHaveLength(members);
      const [, groupId, eventId] = /^\/groups\/([^/]+)\/events\/([^/]+)$/.exec(detail.bodyPath) ?? [];
      const reader = dynamoGroupReader({ client: table.client, tableName: table.tableName });
      const answer = await createGroupsApiHandler({ reader })(
        groupEventRequest(decodeURIComponent(groupId ?? ''), eventId ?? ''),
      );
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ deliveryId: detail.deliveryId, body });
    },
  );

  it('carries a body up to the entry limit', async () => {
    // Arrange: the largest disband whose entry still fits with its body
    await record(tencentEvent({ command: DESTROYED, rawBody: largeDisbandBody({ members: 2_300 }) }));
    const [item] = await eventItems();

    // Act
    const entry = eventEntry(item as ItemImage, SETTINGS);

    // Assess
    const detail = documented(entry as PutEventsRequestEntry);
    expect(detail.body).toBe(item?.body?.S);
    expect(entrySizeBytes(entry as PutEventsRequestEntry)).toBeLessThan(ENTRY_LIMIT_BYTES);
  });

  it('is nothing for an item that is not a recorded event', () => {
    expect(eventEntry({ pk: { S: 'GROUP#x' }, sk: { S: 'STATE' } }, SETTINGS)).toBeUndefined();
    expect(
      eventEntry({ groupId: { S: 'x' }, command: { S: 'Group.Unknown' }, eventTime: { N: '1' } }, SETTINGS),
    ).toBeUndefined();
  });

  it.each([
    ['an eventId of another shape', '1670574414123_ab43c9f9831a40fb0a1c4e4829f36cc4', 400, 'EventIdInvalid'],
    ['an event the group does not have', '1670574414123-ab43c9f9831a40fb0a1c4e4829f36cc4', 404, 'EventNotFound'],
  ])('answers %s at GET /groups/{groupId}/events/{eventId} with %i %s', async (_, eventId, status, error) => {
    const reader = dynamoGroupReader({ client: table.client, tableName: table.tableName });
    const answer = await createGroupsApiHandler({ reader })(groupEventRequest('@TGS#2J4SZEAEL', eventId));
    expect(answer.statusCode).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ error });
  });
});

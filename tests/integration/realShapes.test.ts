import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoGroupReader } from '../../lib/groupsApi/reader.js';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';
import { captureLogs } from '../support/captureLogs.js';
import { describeOnEachEngine, useFreshTablePerTest } from '../support/dynaliteTable.js';
import { inlineStateWebhook } from '../support/inlineStateWebhook.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';

// On DynamoDB Local too: AWS's own validation rules, which dynalite does not apply.
describeOnEachEngine('real shapes on %s', (engine) => {
  /**
   * Record, don't refuse: every shape Tencent may really send is answered OK, recorded once, and shows in the
   * group's state and events; what did not match the documented shape is noted on the item and in a WARN line.
   */
  const table = useFreshTablePerTest(engine);
  const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };
  const GROUP_ID = '@TGS#2J4SZEAEL';
  const ATTR = 'Group.CallbackAfterGroupAttrChanged';
  const FULL = 'Group.CallbackAfterGroupFull';

  const samples = readdirSync(join(repositoryRoot, 'events'));
  const sampleEvent = (file: string) => JSON.parse(readFileSync(join(repositoryRoot, 'events', file), 'utf8'));
  const webhook = () => inlineStateWebhook(table.client, table.tableName);
  const reader = () => dynamoGroupReader({ client: table.client, tableName: table.tableName });
  const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));

  describe('sample events of each shape', () => {
    it.each(samples.filter((file) => file.startsWith('noted-')))(
      'events/%s is recorded once, its notes on the item and in a WARN line',
      async (file) => {
        // Prepare
        const logs = captureLogs();

        // Act
        let answers: Awaited<ReturnType<typeof invokeHandler>>[];
        try {
          answers = [
            await invokeHandler(webhook(), sampleEvent(file)),
            await invokeHandler(webhook(), sampleEvent(file)),
          ];
        } finally {
          logs.restore();
        }

        // Assess
        expect(answers.map((answer) => answer.envelope)).toEqual([OK, OK]);
        const items = await eventItems();
        expect(items).toHaveLength(1);
        expect(items[0]?.body?.S).toBe(sampleEvent(file).body);
        const notes = items[0]?.shapeNotes?.L?.map((note) => note.S);
        expect(notes?.length).toBeGreaterThan(0);
        const lines = logs.entries().filter((entry) => entry.message === 'webhook');
        expect(lines.map((line) => [line.level, line.outcome, line.shapeNotes])).toEqual([
          ['WARN', 'recorded', notes],
          ['WARN', 'duplicate', notes],
        ]);
      },
    );

    it.each(samples.filter((file) => file.startsWith('group-')))(
      'events/%s is recorded without a note',
      async (file) => {
        expect((await invokeHandler(webhook(), sampleEvent(file))).envelope).toEqual(OK);
        const items = await eventItems();
        expect(items).toHaveLength(1);
        expect(items[0]).not.toHaveProperty('shapeNotes');
      },
    );
  });

  describe('what each shape does to the group', () => {
    const setAttributes = (eventTime: number) =>
      tencentEvent({
        command: ATTR,
        body: {
          CallbackCommand: ATTR,
          GroupId: GROUP_ID,
          OptionType: 'set',
          GroupAttr: [
            { key: 'key1', value: 'a' },
            { key: 'key2', value: 'b' },
          ],
          EventTime: eventTime,
        },
      });

    it('a keys-only delete removes the keys from the state', async () => {
      await invokeHandler(webhook(), setAttributes(1670574414000));
      await invokeHandler(webhook(), sampleEvent('group-attr-deleted-keys-only.json'));
      expect((await reader().readState(GROUP_ID))?.attributes).toEqual({ key2: 'b' });
    });

    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', []],
      ['a list', [{ key: 'key1', value: 'x' }]],
    ])('a clear whose GroupAttr is %s empties the attributes', async (_, GroupAttr) => {
      await invokeHandler(webhook(), setAttributes(1));
      await invokeHandler(
        webhook(),
        tencentEvent({
          command: ATTR,
          body: { CallbackCommand: ATTR, GroupId: GROUP_ID, OptionType: 'clear', GroupAttr, EventTime: 2 },
        }),
      );
      expect((await reader().readState(GROUP_ID))?.attributes).toEqual({});
    });

    it('a set without a list empties the attributes', async () => {
      await invokeHandler(webhook(), setAttributes(1));
      await invokeHandler(
        webhook(),
        tencentEvent({
          command: ATTR,
          body: { CallbackCommand: ATTR, GroupId: GROUP_ID, OptionType: 'set', EventTime: 2 },
        }),
      );
      expect((await reader().readState(GROUP_ID))?.attributes).toEqual({});
    });

    it('a numeric attribute value is kept as its JSON text', async () => {
      await invokeHandler(webhook(), sampleEvent('noted-attr-numeric-value.json'));
      expect((await reader().readState(GROUP_ID))?.attributes).toEqual({ seats: '12' });
    });

    it('odd disband fields still disband the group, with what could be read', async () => {
      await invokeHandler(webhook(), sampleEvent('noted-odd-fields.json'));
      expect(await reader().readState(GROUP_ID)).toMatchObject({ destroyed: true, name: '2024', owner: '10001' });
      const [event] = (await reader().readEvents(GROUP_ID, { limit: 10 })).events;
      expect(event).toMatchObject({ memberCount: 3, memberAccounts: ['10001', 'peter'] });
    });

    it("a topic's full event is recorded with its TopicId and does not make the community full", async () => {
      const topicFull = sampleEvent('group-full-topic.json');
      const { GroupId: communityId, TopicId: topicId } = JSON.parse(topicFull.body) as {
        GroupId: string;
        TopicId: string;
      };
      await invokeHandler(webhook(), topicFull);
      expect(await reader().readState(communityId)).toMatchObject({ fullCount: 0, lastFullAt: null });
      const [event] = (await reader().readEvents(communityId, { limit: 10 })).events;
      expect(event).toMatchObject({ command: FULL, topicId });
    });

    it('an unusable EventTime is recorded at the receive time, and a retry is the same event', async () => {
      const noted = sampleEvent('noted-bad-event-time.json');
      await invokeHandler(webhook(), noted);
      await invokeHandler(webhook(), noted);
      const items = await eventItems();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ eventTimeSource: { S: 'received' } });
      expect(items[0]?.eventTime).toEqual(items[0]?.receivedAt);
    });
  });
});

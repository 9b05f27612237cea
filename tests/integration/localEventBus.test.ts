import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DetailType } from '../../lib/fanOut/publishedEvent.js';
import { type LocalEventBus, startLocalEventBus } from '../../scripts/stack/bus/localEventBus.js';
import { type HttpReceiver, startHttpReceiver } from '../support/httpReceiver.js';

/**
 * The local EventBridge bus, driven by the real EventBridgeClient over EventBridge's wire protocol, delivering to a
 * real HTTP endpoint.
 */
const SOURCE = 'tencent-chat.group-webhooks';
const REGION = 'eu-west-1';
const entry = (groupId: string, detailType: string = DetailType['Group.CallbackAfterGroupFull']) => ({
  Source: SOURCE,
  DetailType: detailType,
  Detail: JSON.stringify({ groupId, deliveryId: `d-${groupId}` }),
});

describe('the local EventBridge bus', () => {
  let receiver: HttpReceiver;
  let other: HttpReceiver;
  let bus: LocalEventBus;
  let client: EventBridgeClient;
  const warnings: string[] = [];

  const startBus = async () => {
    bus = await startLocalEventBus({
      region: REGION,
      rules: [
        {
          name: 'all',
          pattern: { source: [SOURCE] },
          targets: [{ url: receiver.url, headers: { authorization: 'k' } }],
        },
        { name: 'disbands', pattern: { 'detail-type': ['Group disbanded'] }, targets: [{ url: other.url }] },
      ],
      delivery: { maxAttempts: 3, firstRetryDelayMs: 10 },
      warn: (line) => warnings.push(line),
    });
    client = new EventBridgeClient({
      endpoint: bus.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  };

  beforeEach(async () => {
    warnings.length = 0;
    receiver = await startHttpReceiver();
    other = await startHttpReceiver();
    await startBus();
  });
  afterEach(async () => {
    client.destroy();
    await bus.stop();
    await receiver.close();
    await other.close();
  });

  const put = (entries: PutEventsRequestEntry[]) => client.send(new PutEventsCommand({ Entries: entries }));

  it("accepts PutEvents and POSTs each event to the rule's target in EventBridge's envelope", async () => {
    // Arrange
    const time = new Date('2024-05-01T12:34:56.789Z');

    // Act
    const answer = await put([{ ...entry('g1'), Time: time, Resources: ['arn:x'] }]);

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries).toEqual([{ EventId: expect.any(String) }]);
    await expect.poll(() => receiver.requests.length).toBe(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('k');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      version: '0',
      id: answer.Entries?.[0]?.EventId,
      'detail-type': 'Group full',
      source: SOURCE,
      account: '000000000000',
      time: '2024-05-01T12:34:56Z',
      region: REGION,
      resources: ['arn:x'],
      detail: { groupId: 'g1', deliveryId: 'd-g1' },
    });
  });

  it('stamps an entry without Time with now, to the second, and no resources', async () => {
    // Act
    await put([entry('g1')]);

    // Assess
    await expect.poll(() => receiver.requests.length).toBe(1);
    const event = JSON.parse(receiver.requests[0]?.body ?? '');
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(event.time) - Date.now())).toBeLessThan(60_000);
    expect(event.resources).toEqual([]);
  });

  it('delivers to a rule only the events its pattern matches (here by detail-type)', async () => {
    // Act
    await put([entry('full'), entry('disbanded', 'Group disbanded'), entry('attrs', 'Group attributes changed')]);

    // Assess
    await expect.poll(() => receiver.requests.length).toBe(3);
    await expect.poll(() => other.requests.length).toBe(1);
    await bus.deliveriesSettled();
    expect(other.requests.map((request) => JSON.parse(request.body).detail.groupId)).toEqual(['disbanded']);
  });

  it('fails an invalid entry alone, with its error code, and accepts the others', async () => {
    // Act
    const answer = await put([
      entry('ok1'),
      { Source: SOURCE, DetailType: 'Group full', Detail: '"not an object"' },
      { Source: SOURCE, Detail: '{}' } as PutEventsRequestEntry,
      entry('ok2'),
    ]);

    // Assess
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.[0]).toEqual({ EventId: expect.any(String) });
    expect(answer.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(answer.Entries?.[2]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(answer.Entries?.[3]).toEqual({ EventId: expect.any(String) });
    await expect.poll(() => receiver.requests.length).toBe(2);
  });

  it('refuses a call of 0 or 11 entries whole, as EventBridge does', async () => {
    await expect(put([])).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(put(Array.from({ length: 11 }, (_, index) => entry(`g${index}`)))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(bus.feed.events).toHaveLength(0);
  });

  it("refuses a call whose entries' size, as EventBridge computes it, passes 256 KB", async () => {
    // Arrange: Source (27 bytes) + DetailType (10) + Detail, exactly at the limit, then one byte over.
    const detailOfSize = (bytes: number) => JSON.stringify({ groupId: 'g', pad: 'x'.repeat(bytes - 24) });
    const atLimit = { ...entry('g'), Detail: detailOfSize(256 * 1024 - 27 - 10) };
    const overLimit = { ...entry('g'), Detail: detailOfSize(256 * 1024 - 27 - 10 + 1) };
    expect(Buffer.byteLength(atLimit.Detail)).toBe(256 * 1024 - 37);

    // Act
    const accepted = await put([atLimit]);
    const refused = put([overLimit]);

    // Assess
    expect(accepted.FailedEntryCount).toBe(0);
    await expect(refused).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    await expect(put([entry('small'), { ...overLimit, Detail: detailOfSize(200 * 1024) }])).resolves.toMatchObject({
      FailedEntryCount: 0,
    });
    await expect(put([atLimit, entry('small')])).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('retries a target that answers 500, then delivers the event once', async () => {
    // Arrange
    receiver.answerNext(500, 503);

    // Act
    await put([entry('g1')]);

    // Assess
    await expect.poll(() => receiver.requests.length).toBe(3);
    await bus.deliveriesSettled();
    expect(new Set(receiver.requests.map((request) => JSON.parse(request.body).id)).size).toBe(1);
    expect(bus.deadLetters).toEqual([]);
  });

  it('dead-letters an event after the attempts, with one line on stderr, and lists it', async () => {
    // Arrange
    receiver.answerNext(500, 429, 502);

    // Act
    const answer = await put([entry('g1')]);

    // Assess
    await expect.poll(() => bus.deadLetters.length).toBe(1);
    expect(receiver.requests).toHaveLength(3);
    expect(bus.deadLetters[0]).toMatchObject({ rule: 'all', targetUrl: receiver.url, attempts: 3, reason: 'HTTP 502' });
    expect(warnings).toEqual([expect.stringContaining(`gave up delivering event ${answer.Entries?.[0]?.EventId}`)]);
    const listed = await (await fetch(`${bus.endpoint}/local/dead-letters`)).json();
    expect(listed).toMatchObject([{ event: { id: answer.Entries?.[0]?.EventId }, attempts: 3 }]);
  });

  it('does not retry a final refusal (a 4xx other than 429)', async () => {
    // Arrange
    receiver.answerNext(400);

    // Act
    await put([entry('g1')]);

    // Assess
    await expect.poll(() => bus.deadLetters.length).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({ attempts: 1, reason: 'HTTP 400' });
  });

  it('dead-letters after retries when the target does not listen at all', async () => {
    // Arrange
    await receiver.close();

    // Act
    await put([entry('g1')]);

    // Assess
    await expect.poll(() => bus.deadLetters.length).toBe(1);
    expect(bus.deadLetters[0]?.attempts).toBe(3);
  });

  it('answers PutEvents while a delivery is still under way', async () => {
    // Arrange: the target answers nothing until released, after PutEvents has answered.
    const release = receiver.holdAnswers();

    // Act
    const answer = await put([entry('g1')]);

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    await expect.poll(() => receiver.requests.length).toBe(1);
    release();
    await bus.deliveriesSettled();
    expect(bus.deadLetters).toEqual([]);
  });

  describe('with faults injected', () => {
    it.each([
      ['ThrottlingException', 400],
      ['InternalException', 500],
    ] as const)('fails the next calls whole with %s (HTTP %i), then accepts again', async (fault, status) => {
      // Arrange
      bus.faults.failNextCalls(2, fault);

      // Act
      const first = put([entry('g1')]).catch((error: unknown) => error);
      const second = put([entry('g1')]).catch((error: unknown) => error);

      // Assess
      expect(await first).toMatchObject({ name: fault, $metadata: { httpStatusCode: status } });
      expect(await second).toMatchObject({ name: fault });
      await expect(put([entry('g1')])).resolves.toMatchObject({ FailedEntryCount: 0 });
      expect(bus.feed.events).toHaveLength(1);
    });

    it('fails entries alone with InternalFailure (a partial failure), the others accepted', async () => {
      // Arrange
      bus.faults.failNextEntries(1, (candidate) => candidate.Detail?.includes('"g2"') ?? false);

      // Act
      const answer = await put([entry('g1'), entry('g2'), entry('g3')]);
      const retried = await put([entry('g2')]);

      // Assess
      expect(answer.FailedEntryCount).toBe(1);
      expect(answer.Entries?.[1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: expect.any(String) });
      expect(retried.FailedEntryCount).toBe(0);
      expect(bus.feed.events.map((event) => event.detail.groupId)).toEqual(['g1', 'g3', 'g2']);
    });

    it("lets the SDK's own retries get through a throttled call", async () => {
      // Arrange
      const retrying = new EventBridgeClient({
        endpoint: bus.endpoint,
        region: REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
      });
      bus.faults.failNextCalls(2, 'ThrottlingException');

      // Act
      const answer = await retrying.send(new PutEventsCommand({ Entries: [entry('g1')] }));

      // Assess
      expect(answer.FailedEntryCount).toBe(0);
      expect(answer.$metadata.attempts).toBe(3);
      retrying.destroy();
    });
  });

  it('streams the feed at GET /local/events: the past events, then each new one as it arrives', async () => {
    // Arrange
    await put([entry('before')]);
    const controller = new AbortController();
    const response = await fetch(`${bus.endpoint}/local/events`, { signal: controller.signal });
    const lines: string[] = [];
    const reading = (async () => {
      let pending = '';
      try {
        for await (const chunk of response.body?.pipeThrough(new TextDecoderStream()) ?? []) {
          const parts = (pending + chunk).split('\n');
          pending = parts.pop() ?? '';
          lines.push(...parts);
        }
      } catch {}
    })();

    // Act
    await expect.poll(() => lines.length).toBe(1);
    await put([entry('after1'), entry('after2')]);

    // Assess
    await expect.poll(() => lines.length).toBe(3);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(lines.map((line) => JSON.parse(line).detail.groupId)).toEqual(['before', 'after1', 'after2']);
    expect(JSON.parse(lines[0] ?? '')).toEqual(bus.feed.events[0]);
    controller.abort();
    await reading;
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalQueue, MAX_MESSAGE_BYTES, startLocalQueue } from '../../scripts/stack/bus/localQueue.js';

/** The local SQS queue, driven by the real SQSClient over SQS's wire protocol (AWS JSON 1.0). */
const QUEUE = 'unpublished-events';

describe('the local SQS queue', () => {
  let dataDir: string;
  let queue: LocalQueue;
  let client: SQSClient;

  const start = async (port?: number) => {
    queue = await startLocalQueue({ queueName: QUEUE, dataDir, port });
    client = new SQSClient({
      endpoint: queue.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  };
  const stop = async () => {
    client.destroy();
    await queue.stop();
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-queue-'));
    await start();
  });
  afterEach(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const counts = async () => {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ['All'] }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages),
      inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    };
  };
  const receive = (options: { max?: number; visibility?: number; wait?: number } = {}) =>
    client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.queueUrl,
        MaxNumberOfMessages: options.max ?? 10,
        VisibilityTimeout: options.visibility ?? 30,
        WaitTimeSeconds: options.wait ?? 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );

  it('gives its URL by name, in the shape SQS gives one', async () => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }));

    expect(QueueUrl).toBe(`${queue.endpoint}/000000000000/${QUEUE}`);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'other' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });

  it('sends, receives (hiding what it received), and deletes by receipt handle', async () => {
    // Act
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: '{"n":1}' }));
    const { Messages } = await receive();
    const whileHidden = await receive();
    const hiddenCounts = await counts();
    await client.send(
      new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
    );

    // Assess: the SDK checked each MD5 on the way.
    expect(Messages).toEqual([
      expect.objectContaining({
        MessageId: sent.MessageId,
        Body: '{"n":1}',
        Attributes: { ApproximateReceiveCount: '1' },
      }),
    ]);
    expect(whileHidden.Messages ?? []).toEqual([]);
    expect(hiddenCounts).toEqual({ visible: 0, inFlight: 1 });
    expect(await counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('shows a received message again once its visibility timeout passes, with a new receipt handle', async () => {
    // Arrange
    await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'again' }));
    const first = await receive({ visibility: 1 });

    // Act: a long poll that the message's return ends.
    const second = await receive({ wait: 5 });
    await client.send(
      new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }),
    );

    // Assess: the first receive's handle deleted nothing, as in SQS.
    expect(second.Messages?.[0]).toMatchObject({ Body: 'again', Attributes: { ApproximateReceiveCount: '2' } });
    expect(second.Messages?.[0]?.ReceiptHandle).not.toBe(first.Messages?.[0]?.ReceiptHandle);
    expect(await counts()).toEqual({ visible: 0, inFlight: 1 });
  });

  it('answers a long poll as soon as a message is sent', async () => {
    // Act
    const polling = receive({ wait: 20 });
    await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'late' }));

    // Assess
    expect((await polling).Messages?.map((message) => message.Body)).toEqual(['late']);
  });

  it('sends and deletes in batches of up to 10, and refuses more', async () => {
    // Arrange
    const entries = Array.from({ length: 10 }, (_, index) => ({ Id: `m${index}`, MessageBody: `body ${index}` }));

    // Act
    const sent = await client.send(new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: entries }));
    const tooMany = await client
      .send(
        new SendMessageBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: [...entries, { Id: 'm10', MessageBody: 'x' }],
        }),
      )
      .catch((error: unknown) => error);
    const { Messages = [] } = await receive({ max: 10 });
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: Messages.map((message, index) => ({ Id: `d${index}`, ReceiptHandle: message.ReceiptHandle })),
      }),
    );

    // Assess
    expect(sent.Successful).toHaveLength(10);
    expect(tooMany).toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    expect(Messages.map((message) => message.Body)).toEqual(entries.map((entry) => entry.MessageBody));
    expect(deleted.Successful).toHaveLength(10);
    expect(await counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it("refuses a body over SQS's 1 MiB and takes one of exactly 1 MiB", async () => {
    // Act
    const send = (bytes: number) =>
      client
        .send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'x'.repeat(bytes) }))
        .catch((error: unknown) => error);
    const atLimit = await send(MAX_MESSAGE_BYTES);
    const overLimit = await send(MAX_MESSAGE_BYTES + 1);

    // Assess
    expect(atLimit).toMatchObject({ MessageId: expect.any(String) });
    expect(overLimit).toMatchObject({ name: 'InvalidParameterValue' });
    expect(MAX_MESSAGE_BYTES).toBe(1_048_576);
  });

  it('refuses a receipt handle it never gave, and an unknown queue URL', async () => {
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: 'made-up' })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: `${queue.endpoint}/000000000000/other`, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('keeps its messages across a restart, in a file of its data folder', async () => {
    // Arrange
    await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'kept 1' }));
    await client.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'kept 2' }));
    const { Messages } = await receive({ max: 1 });
    await client.send(
      new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
    );

    // Act
    await stop();
    await start();

    // Assess
    expect(readdirSync(dataDir)).toEqual([`${QUEUE}.queue.json`]);
    expect((await receive()).Messages?.map((message) => message.Body)).toEqual(['kept 2']);
  });
});

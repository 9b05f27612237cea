import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AwsJsonError, answerAwsJsonRequest } from './awsJsonProtocol.js';
import { delayUntilAborted } from './delayUntilAborted.js';
import { LOCAL_ACCOUNT_ID } from './eventEnvelope.js';
import { PersistedQueue, type QueuedMessage, type ReceivedMessage } from './persistedQueue.js';

/** SQS's limits that matter here: 1 MiB a message and a batch, 10 entries a batch, 20 s of long polling. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_BATCH_ENTRIES = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const MAX_DELAY_SECONDS = 900;

export interface LocalQueueOptions {
  /** Default 0: a free port. */
  port?: number;
  queueName: string;
  /** The folder of the queue's file (`<queueName>.queue.json`), which keeps its messages across restarts. */
  dataDir: string;
}

export interface LocalQueue {
  /** For `new SQSClient({ endpoint })` and AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** `http://127.0.0.1:<port>/000000000000/<queueName>`. */
  queueUrl: string;
  stop(): Promise<void>;
}

const sqsError = (code: string, message: string) => new AwsJsonError(`com.amazonaws.sqs#${code}`, message);

const invalidValue = (parameter: string, value: unknown, reason: string) =>
  sqsError('InvalidParameterValue', `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);

const requiredString = (input: Record<string, unknown>, field: string): string => {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw sqsError('MissingParameter', `The request must contain the parameter ${field}.`);
  return value;
};

const integerIn = (input: Record<string, unknown>, field: string, min: number, max: number, fallback: number) => {
  const value = input[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalidValue(field, value, `Must be between ${min} and ${max}, if provided.`);
  return value;
};

/** Why SQS would refuse this message body, if it would. */
const bodyProblem = (body: unknown): string | undefined => {
  if (typeof body !== 'string' || body === '') return 'The request must contain the parameter MessageBody.';
  if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES)
    return `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`;
  return undefined;
};

const wantsAttribute = (names: unknown, name: string): boolean =>
  Array.isArray(names) && (names.includes('All') || names.includes(name) || names.includes('.*'));

const messageOut = (
  { message, receiptHandle }: ReceivedMessage,
  input: Record<string, unknown>,
): Record<string, unknown> => {
  const systemNames = input.MessageSystemAttributeNames ?? input.AttributeNames;
  const systemAttributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const attributes = Object.fromEntries(
    Object.entries(systemAttributes).filter(([name]) => wantsAttribute(systemNames, name)),
  );
  const messageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes ?? {}).filter(([name]) =>
      wantsAttribute(input.MessageAttributeNames, name),
    ),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}),
  };
};

const batchEntries = (input: Record<string, unknown>): Record<string, unknown>[] => {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0)
    throw sqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (entries.length > MAX_BATCH_ENTRIES)
    throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}.`);
  const ids = entries.map((entry: Record<string, unknown>) => entry.Id);
  for (const id of ids)
    if (typeof id !== 'string' || !/^[\w-]{1,80}$/.test(id))
      throw sqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. ' +
          'It can be at most 80 letters long.',
      );
  if (new Set(ids).size !== ids.length)
    throw sqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  return entries as Record<string, unknown>[];
};

/**
 * A local SQS queue on SQS's wire protocol as @aws-sdk/client-sqs 3.x sends it (AWS JSON 1.0, X-Amz-Target
 * `AmazonSQS.<Operation>`): one named queue, its messages kept in a file so that they survive a restart.
 */
export const startLocalQueue = async (options: LocalQueueOptions): Promise<LocalQueue> => {
  const queue = new PersistedQueue(join(options.dataDir, `${options.queueName}.queue.json`));
  const stopping = new AbortController();
  let messageSent = new AbortController();
  const queuePath = `/${LOCAL_ACCOUNT_ID}/${options.queueName}`;
  let queueUrl = '';

  const checkQueueUrl = (input: Record<string, unknown>): void => {
    const url = requiredString(input, 'QueueUrl');
    let path = '';
    try {
      path = new URL(url).pathname;
    } catch {}
    if (path !== queuePath) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
  };

  const send = (entries: Record<string, unknown>[]): QueuedMessage[] => {
    const sent = queue.send(
      entries.map((entry) => ({
        body: entry.MessageBody as string,
        delaySeconds: integerIn(entry, 'DelaySeconds', 0, MAX_DELAY_SECONDS, 0),
        messageAttributes: entry.MessageAttributes as Record<string, unknown> | undefined,
      })),
    );
    messageSent.abort();
    messageSent = new AbortController();
    return sent;
  };

  const operations = {
    GetQueueUrl: (input: Record<string, unknown>) => {
      if (requiredString(input, 'QueueName') !== options.queueName)
        throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: queueUrl };
    },
    SendMessage: (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const problem = bodyProblem(input.MessageBody);
      if (problem) throw sqsError(input.MessageBody ? 'InvalidParameterValue' : 'MissingParameter', problem);
      const [message] = send([input]);
      return { MessageId: message?.messageId, MD5OfMessageBody: message?.md5OfBody };
    },
    SendMessageBatch: (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const entries = batchEntries(input);
      const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(String(entry.MessageBody ?? '')), 0);
      if (total > MAX_MESSAGE_BYTES)
        throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes.`);
      const refused = entries.flatMap((entry) => {
        const problem = bodyProblem(entry.MessageBody);
        return problem ? [{ Id: entry.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: problem }] : [];
      });
      const accepted = entries.filter((entry) => !refused.some((failure) => failure.Id === entry.Id));
      const sent = accepted.length > 0 ? send(accepted) : [];
      return {
        Successful: sent.map((message, index) => ({
          Id: accepted[index]?.Id,
          MessageId: message.messageId,
          MD5OfMessageBody: message.md5OfBody,
        })),
        Failed: refused,
      };
    },
    ReceiveMessage: async (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const max = integerIn(input, 'MaxNumberOfMessages', 1, MAX_BATCH_ENTRIES, 1);
      const visibility = integerIn(
        input,
        'VisibilityTimeout',
        0,
        MAX_VISIBILITY_TIMEOUT_SECONDS,
        DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
      );
      const deadline = Date.now() + integerIn(input, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS, 0) * 1000;
      for (;;) {
        const now = Date.now();
        const received = queue.receive(max, visibility, now);
        if (received.length > 0 || now >= deadline || stopping.signal.aborted)
          return { Messages: received.map((message) => messageOut(message, input)) };
        const wakeAt = Math.min(deadline, queue.nextVisibleAt(now) ?? deadline);
        await delayUntilAborted(wakeAt - now, AbortSignal.any([stopping.signal, messageSent.signal]));
      }
    },
    DeleteMessage: (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const handle = requiredString(input, 'ReceiptHandle');
      if (queue.delete(handle) === 'invalid-handle')
        throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
      return {};
    },
    DeleteMessageBatch: (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const outcomes = batchEntries(input).map((entry) => ({
        Id: entry.Id,
        outcome: queue.delete(String(entry.ReceiptHandle ?? '')),
      }));
      return {
        Successful: outcomes.filter(({ outcome }) => outcome !== 'invalid-handle').map(({ Id }) => ({ Id })),
        Failed: outcomes
          .filter(({ outcome }) => outcome === 'invalid-handle')
          .map(({ Id }) => ({
            Id,
            SenderFault: true,
            Code: 'ReceiptHandleIsInvalid',
            Message: 'The input receipt handle is not a valid receipt handle.',
          })),
      };
    },
    GetQueueAttributes: (input: Record<string, unknown>) => {
      checkQueueUrl(input);
      const { visible, notVisible } = queue.counts();
      const attributes: Record<string, string> = {
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(notVisible),
        ApproximateNumberOfMessagesDelayed: '0',
        MaximumMessageSize: String(MAX_MESSAGE_BYTES),
        VisibilityTimeout: String(DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
        QueueArn: `arn:aws:sqs:local:${LOCAL_ACCOUNT_ID}:${options.queueName}`,
      };
      const names = input.AttributeNames;
      return {
        Attributes: Object.fromEntries(Object.entries(attributes).filter(([name]) => wantsAttribute(names, name))),
      };
    },
  };

  const service = {
    targetPrefix: 'AmazonSQS',
    version: '1.0' as const,
    maxRequestBytes: 4 * MAX_MESSAGE_BYTES,
    operations,
  };
  const server = createServer((request, response) => void answerAwsJsonRequest(service, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  queueUrl = `${endpoint}${queuePath}`;
  return {
    endpoint,
    queueUrl,
    stop: async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
};

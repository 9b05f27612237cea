import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeJsonFile } from '../jsonFile.js';

/** One message as the queue keeps it (and writes it to its file). */
export interface QueuedMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, unknown>;
  sentAt: number;
  /** Epoch ms from which it can be received: after its delay, or once a receive's visibility timeout passes. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

export interface ReceivedMessage {
  message: QueuedMessage;
  receiptHandle: string;
}

/** What deleting by a receipt handle did, as SQS does: a handle of an older receive deletes nothing, silently. */
export type DeleteOutcome = 'deleted' | 'not-latest-receive' | 'invalid-handle';

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const receiptHandleOf = (message: QueuedMessage): string =>
  Buffer.from(JSON.stringify({ m: message.messageId, n: message.receiveCount, r: randomUUID() })).toString('base64url');

const parseReceiptHandle = (handle: string): { m: string; n: number } | undefined => {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64url').toString('utf8')) as { m?: unknown; n?: unknown };
    return typeof parsed.m === 'string' && typeof parsed.n === 'number' ? { m: parsed.m, n: parsed.n } : undefined;
  } catch {
    return undefined;
  }
};

const readMessages = (file: string): QueuedMessage[] => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { messages: QueuedMessage[] }).messages;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`The local queue's file ${file} cannot be read: ${(error as Error).message}`);
  }
};

/**
 * A queue's messages, in sending order, with SQS's visibility timeouts and receipt handles, written to one JSON file
 * after every change (whole or not at all: a rename), so that a restart loses none of them.
 */
export class PersistedQueue {
  readonly #messages: QueuedMessage[];

  constructor(readonly file: string) {
    this.#messages = readMessages(file);
  }

  #persist(): void {
    writeJsonFile(this.file, { messages: this.#messages });
  }

  send(
    messages: { body: string; delaySeconds?: number; messageAttributes?: Record<string, unknown> }[],
    now = Date.now(),
  ): QueuedMessage[] {
    const sent = messages.map(({ body, delaySeconds, messageAttributes }) => ({
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      ...(messageAttributes ? { messageAttributes } : {}),
      sentAt: now,
      visibleAt: now + (delaySeconds ?? 0) * 1000,
      receiveCount: 0,
    }));
    this.#messages.push(...sent);
    this.#persist();
    return sent;
  }

  /** Up to `max` visible messages, oldest first, each then hidden for `visibilityTimeoutSeconds`. */
  receive(max: number, visibilityTimeoutSeconds: number, now = Date.now()): ReceivedMessage[] {
    const received = this.#messages
      .filter((message) => message.visibleAt <= now)
      .slice(0, max)
      .map((message) => {
        message.receiveCount += 1;
        message.firstReceivedAt ??= now;
        message.visibleAt = now + visibilityTimeoutSeconds * 1000;
        return { message, receiptHandle: receiptHandleOf(message) };
      });
    if (received.length > 0) this.#persist();
    return received;
  }

  delete(receiptHandle: string): DeleteOutcome {
    const handle = parseReceiptHandle(receiptHandle);
    if (!handle) return 'invalid-handle';
    const index = this.#messages.findIndex((message) => message.messageId === handle.m);
    if (index < 0 || this.#messages[index]?.receiveCount !== handle.n) return 'not-latest-receive';
    this.#messages.splice(index, 1);
    this.#persist();
    return 'deleted';
  }

  counts(now = Date.now()): { visible: number; notVisible: number } {
    const visible = this.#messages.filter((message) => message.visibleAt <= now).length;
    return { visible, notVisible: this.#messages.length - visible };
  }

  /** When the next hidden message becomes visible, if one is hidden. */
  nextVisibleAt(now = Date.now()): number | undefined {
    const hidden = this.#messages.filter((message) => message.visibleAt > now).map((message) => message.visibleAt);
    return hidden.length > 0 ? Math.min(...hidden) : undefined;
  }
}

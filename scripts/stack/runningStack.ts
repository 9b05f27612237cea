import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './jsonFile.js';
import { localDataDirectory, shownPath } from './localSettings.js';

/**
 * Where a running `npm start` serves: what it leaves in .data/running-stack.json once everything listens, and
 * removes when it stops. The local tools read it to use that stack's DynamoDB; a second `npm start` to refuse.
 */
export interface RunningStack {
  /** The `npm start` process (scripts/stack/start.ts), which holds the embedded DynamoDB. */
  pid: number;
  webhookUrl: string;
  httpPort: number;
  dynamodbEndpoint: string;
  /** `dynalite`, `dynamodb-local`, or `AWS_ENDPOINT_URL_DYNAMODB` (a DynamoDB it did not start). */
  engine: string;
  startedAt: string;
  /** The local EventBridge bus (`npm run events` follows it), when this npm start runs one. */
  eventBusEndpoint?: string;
  /** The local queue of events the publisher could not put on the bus. */
  unpublishedQueueUrl?: string;
}

export const runningStackFile = join(localDataDirectory, 'running-stack.json');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readRecorded = (): Partial<RunningStack> | undefined =>
  readJsonFile<Partial<RunningStack> | undefined>(runningStackFile, undefined);

/** The `npm start` that runs now, or undefined: no file, an unreadable one, or a stale one (its pid is gone). */
export const readRunningStack = (): RunningStack | undefined => {
  const stack = readRecorded();
  const pid = stack?.pid;
  const complete =
    typeof pid === 'number' &&
    Number.isInteger(pid) &&
    pid > 0 &&
    typeof stack?.webhookUrl === 'string' &&
    typeof stack.dynamodbEndpoint === 'string';
  return complete && isAlive(pid) ? (stack as RunningStack) : undefined;
};

/** Written whole or not at all, so a tool never reads half of it. */
export const recordRunningStack = (stack: RunningStack): void => writeJsonFile(runningStackFile, stack, 2);

/** Removes the file if it still names `pid` (this process by default). */
export const forgetRunningStack = (pid: number = process.pid): void => {
  if (readRecorded()?.pid === pid) rmSync(runningStackFile, { force: true });
};

/** `pid 123: http://localhost:3000/webhook, DynamoDB http://localhost:8000 (dynalite)`. */
export const describeRunningStack = (stack: RunningStack): string =>
  `pid ${stack.pid}: ${stack.webhookUrl}, DynamoDB ${stack.dynamodbEndpoint} (${stack.engine})`;

/** How the line `npm start` prints once it has recorded itself begins. */
export const RUNNING_STACK_RECORDED = 'The local tools find this npm start';

export const recordedMessage = (): string =>
  `${RUNNING_STACK_RECORDED} through ${shownPath(runningStackFile)} (npm run invoke, group, replay, ` +
  `rebuild-state, republish, events, smoke).`;

/** The one line a second `npm start` prints before it exits 1. */
export const alreadyRunningMessage = (stack: RunningStack): string =>
  `npm start already runs (${describeRunningStack(stack)}; ${shownPath(runningStackFile)}): use it, or stop it ` +
  `first (Ctrl-C in its terminal, or kill ${stack.pid}).`;

import { type ReplayChunk, type ReplayRecord, type ReplayRecordHead, sealingOf } from '../webhook/replayRecord.js';

type LogEntry = Record<string, unknown>;

const parseObject = (text: string): LogEntry | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as LogEntry) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The function's JSON entry in one line of a log: the line itself, the same line behind CloudWatch's
 * `timestamp<TAB>requestId<TAB>LEVEL<TAB>` prefix, or an exported event whose `message` holds the line.
 */
export const logEntryInLine = (line: string): LogEntry | undefined => {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  const entry = parseObject(line.slice(start).trim());
  if (entry === undefined) return undefined;
  if (entry.replay !== undefined || entry.replayChunk !== undefined || typeof entry.message !== 'string') return entry;
  return logEntryInLine(entry.message) ?? entry;
};

const isQuery = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && Object.values(value).every((entry) => typeof entry === 'string');

const isRecord = (value: unknown): value is ReplayRecord => {
  const record = value as Partial<ReplayRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.body === 'string' &&
    typeof record.receivedAt === 'number' &&
    isQuery(record.query)
  );
};

const isHead = (value: unknown): value is ReplayRecordHead => {
  const head = value as Partial<ReplayRecordHead> | null;
  return (
    typeof head === 'object' &&
    head !== null &&
    typeof head.receivedAt === 'number' &&
    isQuery(head.query) &&
    typeof head.bodyChunks?.id === 'string' &&
    Number.isSafeInteger(head.bodyChunks.count)
  );
};

const isChunk = (value: unknown): value is ReplayChunk => {
  const chunk = value as Partial<ReplayChunk> | null;
  return (
    typeof chunk === 'object' &&
    chunk !== null &&
    typeof chunk.id === 'string' &&
    Number.isSafeInteger(chunk.index) &&
    Number.isSafeInteger(chunk.count) &&
    typeof chunk.bodyBase64 === 'string'
  );
};

export interface ReplayRecordsInLog {
  /** Every whole record, and every split one whose chunks were all found, in the order of their heads. */
  records: ReplayRecord[];
  /** Split records one of whose chunk indexes came twice with different content: never recorded. */
  conflicting: ReplayRecordHead[];
  /** Heads whose chunks were not all in the lines given (another export, a later batch). */
  incomplete: ReplayRecordHead[];
  /** Chunks of records not completed from these lines: their head or other chunks are elsewhere. */
  strayChunks: ReplayChunk[];
}

/** A split record put back together from its head and all its chunks, in index order. */
export const replayRecordFromChunks = (head: ReplayRecordHead, ordered: readonly ReplayChunk[]): ReplayRecord => ({
  query: head.query,
  body: Buffer.concat(ordered.map((chunk) => Buffer.from(chunk.bodyBase64, 'base64'))).toString('utf8'),
  receivedAt: head.receivedAt,
  ...sealingOf(head),
});

/** Finds the replay records in log lines and puts split ones back together, whatever order the lines come in. */
export const replayRecordsInLog = (lines: Iterable<string>): ReplayRecordsInLog => {
  const found: Array<ReplayRecord | ReplayRecordHead> = [];
  const chunks = new Map<string, Map<number, ReplayChunk>>();
  const conflicted = new Set<string>();
  for (const line of lines) {
    const entry = logEntryInLine(line);
    if (entry === undefined) continue;
    if (isRecord(entry.replay) || isHead(entry.replay)) found.push(entry.replay);
    if (isChunk(entry.replayChunk)) {
      const chunk = entry.replayChunk;
      const pieces = chunks.get(chunk.id) ?? new Map<number, ReplayChunk>();
      const seen = pieces.get(chunk.index);
      // The same line twice (two exports, a retried batch) is harmless; another content for the index is not.
      if (seen !== undefined && seen.bodyBase64 !== chunk.bodyBase64) conflicted.add(chunk.id);
      chunks.set(chunk.id, seen === undefined ? pieces.set(chunk.index, chunk) : pieces);
    }
  }
  const records: ReplayRecord[] = [];
  const incomplete: ReplayRecordHead[] = [];
  const conflicting: ReplayRecordHead[] = [];
  const completed = new Set<string>();
  for (const item of found) {
    if (!('bodyChunks' in item)) {
      records.push(item);
      continue;
    }
    if (conflicted.has(item.bodyChunks.id)) {
      completed.add(item.bodyChunks.id);
      conflicting.push(item);
      continue;
    }
    const pieces = chunks.get(item.bodyChunks.id);
    const ordered = Array.from({ length: item.bodyChunks.count }, (_, index) => pieces?.get(index));
    if (ordered.some((piece) => piece === undefined)) {
      incomplete.push(item);
      continue;
    }
    completed.add(item.bodyChunks.id);
    records.push(replayRecordFromChunks(item, ordered as ReplayChunk[]));
  }
  const strayChunks = [...chunks].filter(([id]) => !completed.has(id)).flatMap(([, pieces]) => [...pieces.values()]);
  return { records, conflicting, incomplete, strayChunks };
};

/** `aws logs filter-log-events` / `get-log-events --output json`: one JSON document with an `events` array. */
const awsCliEvents = (text: string): unknown[] | undefined => {
  if (!text.trimStart().startsWith('{')) return undefined;
  const events = parseObject(text.trim())?.events;
  return Array.isArray(events) ? events : undefined;
};

/**
 * The log lines in one file's text: the messages of the AWS CLI's JSON output, or the text's own lines (the
 * function's lines, CloudWatch's, exported events one per line).
 */
export const logLinesInText = (text: string): string[] => {
  const events = awsCliEvents(text);
  return events
    ? events.map((event) => String((event as { message?: unknown } | null)?.message ?? ''))
    : text.split('\n');
};

/** Whether any of the lines carries a replay record or a piece of one. */
export const holdsReplayRecords = (lines: readonly string[]): boolean =>
  lines.some((line) => {
    const entry = logEntryInLine(line);
    return entry?.replay !== undefined || entry?.replayChunk !== undefined;
  });

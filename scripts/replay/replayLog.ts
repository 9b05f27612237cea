import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ReplayRecord } from '../../lib/webhook/outcome.js';

const isReplayRecord = (value: unknown): value is ReplayRecord => {
  const record = value as Partial<ReplayRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.body === 'string' &&
    typeof record.receivedAt === 'number' &&
    typeof record.query === 'object' &&
    record.query !== null
  );
};

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The replay record in one line of a log: the function's own JSON line, the same line behind CloudWatch's
 * `timestamp<TAB>requestId<TAB>LEVEL<TAB>` prefix, or an exported event whose `message` holds the line.
 */
export const replayRecordInLine = (line: string): ReplayRecord | undefined => {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  const entry = parseObject(line.slice(start).trim());
  if (entry === undefined) return undefined;
  if (isReplayRecord(entry.replay)) return entry.replay;
  return typeof entry.message === 'string' ? replayRecordInLine(entry.message) : undefined;
};

/** The request the logged delivery came in as, for the webhook function to handle again. */
export const replayEvent = (record: ReplayRecord): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /webhook',
  rawPath: '/webhook',
  rawQueryString: new URLSearchParams(record.query).toString(),
  headers: { 'content-length': String(Buffer.byteLength(record.body)) },
  queryStringParameters: record.query,
  requestContext: {
    accountId: 'replay',
    apiId: 'replay',
    domainName: 'replay',
    domainPrefix: 'replay',
    http: { method: 'POST', path: '/webhook', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'npm run replay' },
    requestId: `replay-${record.receivedAt}`,
    routeKey: 'POST /webhook',
    stage: '$default',
    time: new Date(record.receivedAt).toISOString(),
    timeEpoch: record.receivedAt,
  },
  body: record.body,
  isBase64Encoded: false,
});

import { describe, expect, it } from 'vitest';
import { replayEvent } from '../../../lib/redrive/replayEvent.js';
import { replayRecordsInLog } from '../../../lib/redrive/replayRecordsInLog.js';
import {
  REPLAY_CHUNK_BODY_BYTES,
  REPLAY_INLINE_MAX_BYTES,
  replayLogParts,
  replayRecordOf,
} from '../../../lib/webhook/replayRecord.js';

const record = {
  query: { SdkAppid: '1400000001', CallbackCommand: 'Group.CallbackAfterGroupFull' },
  body: '{"GroupId":"g"}',
  receivedAt: 1_700_000_000_000,
};
const line = JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', replay: record });
const CLOUDWATCH_LINE_BYTES = 256 * 1024;

describe('replayRecordsInLog', () => {
  it.each([
    ["the function's own line", line],
    ['a CloudWatch line with its prefix', `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}`],
    [
      'an exported log event',
      JSON.stringify({ timestamp: 1, message: `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}` }),
    ],
  ])('finds the record in %s', (_, text) => {
    expect(replayRecordsInLog([text])).toEqual({ records: [record], conflicting: [], incomplete: [], strayChunks: [] });
  });

  it.each([
    ['a line without a record', JSON.stringify({ level: 'INFO', outcome: 'recorded' })],
    ['a record without its body', JSON.stringify({ replay: { ...record, body: undefined } })],
    ['text', 'START RequestId: 5b7e-11 Version: $LATEST'],
    ['broken JSON', '{"replay": {'],
  ])('skips %s', (_, text) => {
    expect(replayRecordsInLog([text]).records).toEqual([]);
  });
});

describe('a replay record too large for one log line', () => {
  // Multi-byte characters and a length that is no multiple of the chunk size: chunks split inside a character.
  const large = { ...record, body: JSON.stringify({ GroupId: 'g', Padding: 'é'.repeat(400_001) }) };
  const asLines = () => {
    const { replay, chunks } = replayLogParts(large);
    return [
      JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', replay }),
      ...chunks.map((replayChunk) =>
        JSON.stringify({ level: 'ERROR', message: 'webhookReplayChunk', outcome: 'failed', replayChunk }),
      ),
    ];
  };

  it('is split into lines that each fit one CloudWatch Logs event', () => {
    const lines = asLines();
    expect(lines.length).toBe(1 + Math.ceil(Buffer.byteLength(large.body) / REPLAY_CHUNK_BODY_BYTES));
    for (const text of lines) expect(Buffer.byteLength(text)).toBeLessThan(CLOUDWATCH_LINE_BYTES - 1024);
  });

  it('is put back together whole, whatever order its lines come in', () => {
    const lines = asLines();
    expect(replayRecordsInLog([...lines].reverse())).toEqual({
      records: [large],
      conflicting: [],
      incomplete: [],
      strayChunks: [],
    });
  });

  it('is reported incomplete when a chunk line is missing', () => {
    const [head, , ...rest] = asLines();
    const found = replayRecordsInLog([head as string, ...rest]);
    expect(found.records).toEqual([]);
    expect(found.incomplete).toHaveLength(1);
    expect(found.strayChunks).toHaveLength(rest.length);
  });

  it('is refused when a chunk index comes twice with different content, whichever comes first', () => {
    const [head, first, ...rest] = asLines() as [string, string, ...string[]];
    const entry = JSON.parse(first) as { replayChunk: { bodyBase64: string } };
    const edited = JSON.stringify({
      ...entry,
      replayChunk: { ...entry.replayChunk, bodyBase64: Buffer.from('{"GroupId":"forged"').toString('base64') },
    });
    for (const lines of [
      [head, first, ...rest, edited],
      [head, edited, first, ...rest],
    ]) {
      const found = replayRecordsInLog(lines);
      expect(found.records).toEqual([]);
      expect(found.conflicting).toHaveLength(1);
    }
  });

  it('is put together once when the same chunk line comes twice', () => {
    const lines = asLines();
    expect(replayRecordsInLog([...lines, ...lines]).records).toEqual([large, large]);
  });

  it('stays whole in its line up to the inline limit', () => {
    const { replay, chunks } = replayLogParts({ ...record, body: 'x'.repeat(REPLAY_INLINE_MAX_BYTES - 200) });
    expect(chunks).toEqual([]);
    expect(replay).toHaveProperty('body');
  });
});

describe('replayRecordOf and replayEvent', () => {
  it('leaves out Sign and RequestTime, and rebuilds the request with the logged query and the body as sent', () => {
    const logged = replayRecordOf(
      { ...record.query, Sign: 'abc', RequestTime: '1', ClientIP: undefined },
      record.body,
      record.receivedAt,
    );
    expect(logged).toEqual(record);
    const event = replayEvent(logged);
    expect(event.queryStringParameters).toEqual(record.query);
    expect(event.body).toBe(record.body);
    expect(event.isBase64Encoded).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { replayEvent, replayRecordInLine } from '../../../../scripts/replay/replayLog.js';

describe('replayRecordInLine', () => {
  const record = { query: { SdkAppid: '1400000001', CallbackCommand: 'Group.CallbackAfterGroupFull' }, body: '{"GroupId":"g"}', receivedAt: 1_700_000_000_000 };
  const line = JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', replay: record });

  it.each([
    ['the function\'s own line', line],
    ['a CloudWatch line with its prefix', `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}`],
    ['an exported log event', JSON.stringify({ timestamp: 1, message: `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}` })],
  ])('finds the record in %s', (_, text) => {
    expect(replayRecordInLine(text)).toEqual(record);
  });

  it.each([
    ['a line without a record', JSON.stringify({ level: 'INFO', outcome: 'recorded' })],
    ['a record without its body', JSON.stringify({ replay: { ...record, body: undefined } })],
    ['text', 'START RequestId: 5b7e-11 Version: $LATEST'],
    ['broken JSON', '{"replay": {'],
  ])('skips %s', (_, text) => {
    expect(replayRecordInLine(text)).toBeUndefined();
  });

  it('rebuilds the request with the logged query and the body as sent', () => {
    const event = replayEvent(record);
    expect(event.queryStringParameters).toEqual(record.query);
    expect(event.body).toBe(record.body);
    expect(event.isBase64Encoded).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { percentile } from '../../scripts/loadClient.js';
import { loadMix } from '../../scripts/loadMix.js';
import { replayEvent, replayRecordInLine } from '../../scripts/replayLog.js';
import { replayRecordsInText } from '../../scripts/replayLogFile.js';

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

describe('loadMix', () => {
  const mix = loadMix({ count: 1_000, runId: 'r1', sdkAppId: '1400000001', token: 't' });

  it('sends 60 % new events, 20 % repeats of sent ones and 20 % invalid requests', () => {
    const count = (kind: string) => mix.filter((request) => request.kind === kind).length;
    expect([count('new'), count('duplicate'), count('invalid')]).toEqual([600, 200, 200]);
    const newGroups = new Set(mix.filter((request) => request.kind === 'new').map((request) => request.groupId));
    expect(newGroups.size).toBe(600);
    for (const repeat of mix.filter((request) => request.kind === 'duplicate')) expect(newGroups.has(repeat.groupId)).toBe(true);
  });

  it('expects 200 for events and 4xx for each kind of invalid request', () => {
    const expected = new Set(mix.filter((request) => request.kind === 'invalid').map((request) => request.expectedStatus));
    expect(expected).toEqual(new Set([400, 403]));
    expect(mix.filter((request) => request.kind !== 'invalid').every((request) => request.expectedStatus === 200)).toBe(true);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect([percentile(values, 0.5), percentile(values, 0.99), percentile(values, 1)]).toEqual([50, 99, 100]);
  });
});

describe('replayRecordsInText', () => {
  const record = { query: { SdkAppid: '1400000001', CallbackCommand: 'Group.CallbackAfterGroupFull' }, body: '{"GroupId":"g"}', receivedAt: 1_700_000_000_000 };
  const line = JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', replay: record });

  it('reads the AWS CLI\'s JSON output (aws logs filter-log-events --output json), pretty-printed as it is', () => {
    const cliOutput = JSON.stringify(
      {
        events: [
          { logStreamName: 's', timestamp: 1, message: 'START RequestId: 5b7e-11 Version: $LATEST\n', ingestionTime: 2, eventId: 'a' },
          { logStreamName: 's', timestamp: 1, message: `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}\n`, ingestionTime: 2, eventId: 'b' },
        ],
        searchedLogStreams: [],
      },
      null,
      4,
    );
    expect(replayRecordsInText(cliOutput)).toEqual([record]);
  });

  it('reads log lines, one record per ERROR line, and finds none in a file without one', () => {
    expect(replayRecordsInText(`${line}\nsome text\n${line}\n`)).toEqual([record, record]);
    expect(replayRecordsInText(JSON.stringify({ events: [] }))).toEqual([]);
    expect(replayRecordsInText('')).toEqual([]);
  });
});

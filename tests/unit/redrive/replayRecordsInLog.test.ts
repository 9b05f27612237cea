import { describe, expect, it } from 'vitest';
import { holdsReplayRecords, logLinesInText, replayRecordsInLog } from '../../../lib/redrive/replayRecordsInLog.js';

const record = {
  query: { SdkAppid: '1400000001', CallbackCommand: 'Group.CallbackAfterGroupFull' },
  body: '{"GroupId":"g"}',
  receivedAt: 1_700_000_000_000,
};
const line = JSON.stringify({ level: 'ERROR', message: 'webhook', outcome: 'failed', replay: record });

describe('logLinesInText', () => {
  it("reads the AWS CLI's JSON output (aws logs filter-log-events --output json), pretty-printed as it is", () => {
    const cliOutput = JSON.stringify(
      {
        events: [
          {
            logStreamName: 's',
            timestamp: 1,
            message: 'START RequestId: 5b7e-11 Version: $LATEST\n',
            ingestionTime: 2,
            eventId: 'a',
          },
          {
            logStreamName: 's',
            timestamp: 1,
            message: `2026-11-22T04:00:00.000Z\t5b7e-11\tERROR\t${line}\n`,
            ingestionTime: 2,
            eventId: 'b',
          },
        ],
        searchedLogStreams: [],
      },
      null,
      4,
    );
    const lines = logLinesInText(cliOutput);
    expect(holdsReplayRecords(lines)).toBe(true);
    expect(replayRecordsInLog(lines).records).toEqual([record]);
  });

  it('reads log lines, one record per line that has one, and finds none in a file without one', () => {
    expect(replayRecordsInLog(logLinesInText(`${line}\nsome text\n${line}\n`)).records).toEqual([record, record]);
    expect(holdsReplayRecords(logLinesInText(JSON.stringify({ events: [] })))).toBe(false);
    expect(holdsReplayRecords(logLinesInText(''))).toBe(false);
    expect(holdsReplayRecords(logLinesInText('{"level":"INFO","message":"webhook","outcome":"recorded"}'))).toBe(false);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeLog } from '../../lib/structuredLog.js';

describe('writeLog', () => {
  const lines: string[] = [];
  const capture = (line: string) => void lines.push(line);

  afterEach(() => {
    lines.length = 0;
    vi.restoreAllMocks();
  });

  const writeEachLevel = (env: NodeJS.ProcessEnv) => {
    vi.spyOn(console, 'log').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
    for (const level of ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const) writeLog(level, 'webhook', {}, {}, env);
    return lines.map((line) => (JSON.parse(line) as { level: string }).level);
  };

  it.each([
    [{}, ['INFO', 'WARN', 'ERROR']],
    [{ LOG_LEVEL: 'warn' }, ['WARN', 'ERROR']],
    [{ POWERTOOLS_LOG_LEVEL: 'DEBUG' }, ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    [{ LOG_LEVEL: 'silent' }, []],
    [{ LOG_LEVEL: 'chatty' }, ['INFO', 'WARN', 'ERROR']],
  ])('with %o writes %o', (env, levels) => {
    expect(writeEachLevel(env)).toEqual(levels);
  });

  it('sends ERROR to stderr and the rest to stdout', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    writeLog('WARN', 'webhook', {}, {}, {});
    writeLog('ERROR', 'webhook', {}, {}, {});
    expect([out.mock.calls.length, err.mock.calls.length]).toEqual([1, 1]);
  });

  it('adds the X-Ray trace id Lambda sets, and the fields given', () => {
    vi.spyOn(console, 'log').mockImplementation(capture);
    writeLog('INFO', 'webhook', { outcome: 'recorded' }, { requestId: 'r-1' }, { _X_AMZN_TRACE_ID: 'Root=1-abc' });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      service: 'tencent-chat-webhooks',
      function_request_id: 'r-1',
      xray_trace_id: 'Root=1-abc',
      outcome: 'recorded',
    });
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeLog } from '../../lib/log.js';

describe('writeLog', () => {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(String(chunk));
    return true;
  };

  afterEach(() => {
    lines.length = 0;
    vi.restoreAllMocks();
  });

  const writeEachLevel = (env: NodeJS.ProcessEnv) => {
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
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

  it('writes one line each, ERROR to stderr and the rest to stdout', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    writeLog('WARN', 'webhook', {}, {}, {});
    writeLog('ERROR', 'webhook', {}, {}, {});
    expect([out.mock.calls.length, err.mock.calls.length]).toEqual([1, 1]);
    expect(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('adds the X-Ray trace id Lambda sets, and the fields given', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    writeLog('INFO', 'webhook', { outcome: 'recorded' }, { requestId: 'r-1' }, { _X_AMZN_TRACE_ID: 'Root=1-abc' });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      service: 'tencent-chat-webhooks',
      function_request_id: 'r-1',
      xray_trace_id: 'Root=1-abc',
      outcome: 'recorded',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { percentile } from '../../../../scripts/tools/load/loadClient.js';
import { loadMix } from '../../../../scripts/tools/load/loadMix.js';

describe('loadMix', () => {
  const mix = loadMix({ count: 1_000, runId: 'r1', sdkAppId: '1400000001', token: 't' });

  it('sends 60 % new events, 20 % repeats of sent ones and 20 % invalid requests', () => {
    const count = (kind: string) => mix.filter((request) => request.kind === kind).length;
    expect([count('new'), count('duplicate'), count('invalid')]).toEqual([600, 200, 200]);
    const newGroups = new Set(mix.filter((request) => request.kind === 'new').map((request) => request.groupId));
    expect(newGroups.size).toBe(600);
    for (const repeat of mix.filter((request) => request.kind === 'duplicate'))
      expect(newGroups.has(repeat.groupId)).toBe(true);
  });

  it('expects 200 for events and 4xx for each kind of invalid request', () => {
    const expected = new Set(
      mix.filter((request) => request.kind === 'invalid').map((request) => request.expectedStatus),
    );
    expect(expected).toEqual(new Set([400, 403]));
    expect(mix.filter((request) => request.kind !== 'invalid').every((request) => request.expectedStatus === 200)).toBe(
      true,
    );
  });
});

describe('loadMix for a receiver without a token', () => {
  const mix = loadMix({
    count: 1_000,
    runId: 'r2',
    sdkAppId: '1400000001',
    token: undefined,
    webhookPath: '/dev/webhook',
  });
  const query = (request: (typeof mix)[number]) => new URL(request.path(1_700_000_000_000), 'http://localhost');

  it('signs nothing, and sends no forged Sign (such a receiver would record it)', () => {
    for (const request of mix) {
      expect(query(request).searchParams.has('Sign')).toBe(false);
      expect(query(request).searchParams.has('RequestTime')).toBe(false);
    }
    const invalid = mix.filter((request) => request.kind === 'invalid');
    expect(new Set(invalid.map((request) => query(request).searchParams.get('SdkAppid')))).toEqual(
      new Set(['1400999999', '1400000001']),
    );
  });

  it("posts to the receiver's webhook path", () => {
    expect(new Set(mix.map((request) => query(request).pathname))).toEqual(new Set(['/dev/webhook']));
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect([percentile(values, 0.5), percentile(values, 0.99), percentile(values, 1)]).toEqual([50, 99, 100]);
  });
});

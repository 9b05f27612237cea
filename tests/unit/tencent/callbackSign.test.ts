import { describe, expect, it } from 'vitest';
import { callbackSign, signsMatch } from '../../../lib/tencent/callbackSign.js';

describe('callbackSign', () => {
  it("matches the test vector in Tencent's security documentation", () => {
    expect(callbackSign('xxxxyyyy', '1669872112')).toBe(
      '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061',
    );
  });
});

describe('signsMatch', () => {
  const expected = callbackSign('xxxxyyyy', '1669872112');

  it('accepts the same sign, in either letter case', () => {
    expect(signsMatch(expected, expected)).toBe(true);
    expect(signsMatch(expected, expected.toUpperCase())).toBe(true);
  });

  it('refuses a sign that differs in one character', () => {
    const flipped = `${expected.slice(0, -1)}${expected.endsWith('0') ? '1' : '0'}`;
    expect(signsMatch(expected, flipped)).toBe(false);
  });

  it('refuses signs of another length without throwing', () => {
    expect(signsMatch(expected, '')).toBe(false);
    expect(signsMatch(expected, expected.slice(1))).toBe(false);
    expect(signsMatch(expected, `${expected}00`)).toBe(false);
  });
});

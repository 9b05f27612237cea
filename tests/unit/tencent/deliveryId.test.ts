import { describe, expect, it } from 'vitest';
import { canonicalJson, deliveryId } from '../../../lib/tencent/deliveryId.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps a "__proto__" key as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"__proto__":{"x":1},"a":1}');
  });
});

describe('deliveryId', () => {
  const body = { CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: '@TGS#1', EventTime: '1' };

  it('is the same for the same body with its keys in another order', () => {
    const reordered = { EventTime: '1', GroupId: '@TGS#1', CallbackCommand: 'Group.CallbackAfterGroupFull' };
    expect(deliveryId('1400000001', 'c', reordered)).toBe(deliveryId('1400000001', 'c', body));
  });

  it('differs when the app, the command or any body value differs', () => {
    const base = deliveryId('1400000001', 'c', body);
    expect(deliveryId('1400000002', 'c', body)).not.toBe(base);
    expect(deliveryId('1400000001', 'd', body)).not.toBe(base);
    expect(deliveryId('1400000001', 'c', { ...body, EventTime: '2' })).not.toBe(base);
    expect(deliveryId('1400000001', 'c', { ...body, Extra: true })).not.toBe(base);
  });

  it('is 32 lower-case hex characters', () => {
    expect(deliveryId('1', 'c', body)).toMatch(/^[0-9a-f]{32}$/);
  });
});

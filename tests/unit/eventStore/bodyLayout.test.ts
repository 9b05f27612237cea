import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ITEM_SIZE_LIMIT_BYTES, itemSizeBytes } from '../../../lib/dynamo/itemSize.js';
import { BODY_PART_BYTES, EVENT_ITEM_BUDGET_BYTES, layOutEventItem } from '../../../lib/eventStore/bodyLayout.js';

const DELIVERY_ID = '0123456789abcdef0123456789abcdef';
const textItem = (body: string, fields: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({
  pk: { S: 'GROUP#g' },
  sk: { S: `EVENT#000000000000001#${DELIVERY_ID}` },
  deliveryId: { S: DELIVERY_ID },
  expiresAt: { N: '1800000000' },
  body: { S: body },
  ...fields,
});
const members = (count: number): AttributeValue => ({
  L: Array.from({ length: count }, (_, index) => ({ S: `member_${String(index).padStart(26, '0')}` })),
});
/** Hex text compresses to about half: big enough bodies need parts. */
const incompressible = (bytes: number): string =>
  randomBytes(Math.ceil(bytes / 2))
    .toString('hex')
    .slice(0, bytes);

describe('layOutEventItem', () => {
  it('keeps an item that fits as it is, its body as text', () => {
    const item = textItem('{"GroupId":"g"}', { memberAccounts: members(3) });
    expect(layOutEventItem(item)).toEqual({ item, parts: [] });
  });

  it('compresses the body onto the item when the text would not fit, keeping the typed fields that fit', () => {
    const body = JSON.stringify({ GroupId: 'g', Padding: 'x'.repeat(500_000) });
    const { item, parts } = layOutEventItem(textItem(body, { memberAccounts: members(3) }));
    expect(parts).toEqual([]);
    expect(item).not.toHaveProperty('body');
    expect(item.memberAccounts).toEqual(members(3));
    expect(item.bodyBytes).toEqual({ N: String(body.length) });
    expect(gunzipSync(item.bodyGzip?.B ?? new Uint8Array()).toString('utf8')).toBe(body);
  });

  it('drops memberAccounts, and names it, before it splits the body', () => {
    const { item, parts } = layOutEventItem(
      textItem(JSON.stringify({ Padding: 'x'.repeat(300_000) }), { memberAccounts: members(13_000) }),
    );
    expect(parts).toEqual([]);
    expect(item).not.toHaveProperty('memberAccounts');
    expect(item.typedFieldsOmitted).toEqual({ L: [{ S: 'memberAccounts' }] });
  });

  it('splits a body that does not fit even compressed over parts named by delivery and digest, in order', () => {
    const body = incompressible(2_000_000);
    const { item, parts } = layOutEventItem(textItem(body), { partsExpiresAt: 1_700_000_000 });
    const compressed = Buffer.concat(parts.map((part) => part.chunk?.B ?? new Uint8Array()));
    const digest = createHash('sha256').update(compressed).digest('hex').slice(0, 32);
    expect(item).toMatchObject({ bodyParts: { N: String(parts.length) }, bodyPartsDigest: { S: digest } });
    expect(parts.length).toBe(Math.ceil(compressed.byteLength / BODY_PART_BYTES));
    expect(parts.map((part) => part.sk?.S)).toEqual(
      parts.map((_, index) => `BODYPART#${DELIVERY_ID}#${digest}#${String(index).padStart(4, '0')}`),
    );
    expect(parts.every((part) => part.pk?.S === 'GROUP#g' && part.expiresAt?.N === '1700000000')).toBe(true);
    expect(item.expiresAt).toEqual({ N: '1800000000' });
    expect(gunzipSync(compressed).toString('utf8')).toBe(body);
    for (const written of [item, ...parts]) expect(itemSizeBytes(written)).toBeLessThanOrEqual(EVENT_ITEM_BUDGET_BYTES);
  });

  it('lays out the same body the same way twice: a retry rewrites the same parts', () => {
    const body = incompressible(1_000_000);
    // Compared by key and digest: comparing the bytes element by element is slow.
    const summary = ({ parts }: ReturnType<typeof layOutEventItem>) =>
      parts.map((part) => [
        part.sk?.S,
        createHash('sha256')
          .update(part.chunk?.B ?? new Uint8Array())
          .digest('hex'),
      ]);
    expect(summary(layOutEventItem(textItem(body)))).toEqual(summary(layOutEventItem(textItem(body))));
  });
});

describe('itemSizeBytes', () => {
  it('counts names and values as DynamoDB does, numbers at their largest', () => {
    expect(itemSizeBytes({ ab: { S: 'héllo' }, n: { N: '1' }, b: { B: new Uint8Array(10) }, t: { BOOL: true } })).toBe(
      2 + 6 + 1 + 21 + 1 + 10 + 1 + 1,
    );
    expect(itemSizeBytes({ l: { L: [{ S: 'x' }, { S: 'yz' }] } })).toBe(1 + 3 + (1 + 1) + (1 + 2));
    expect(ITEM_SIZE_LIMIT_BYTES).toBe(409_600);
  });
});

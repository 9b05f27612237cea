import { createHash } from 'node:crypto';

/**
 * JSON text with object keys sorted at every depth, so two bodies that differ only in key order
 * (or whitespace) serialize identically. Used for identity and comparison, never for storage.
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * What identifies one delivery across Tencent's retries: the app, the command and the body in canonical
 * key order. ClientIP, OptPlatform, Sign and RequestTime are left out because a retry may change them.
 * 128 bits of SHA-256, hex.
 */
export const deliveryId = (sdkAppId: string, command: string, body: unknown): string =>
  createHash('sha256').update(canonicalJson({ sdkAppId, command, body })).digest('hex').slice(0, 32);

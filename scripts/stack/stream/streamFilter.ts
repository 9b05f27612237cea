/**
 * Lambda's event filtering for the patterns serverless.yml uses (lib/groupState/streamEventSource.json):
 * a pattern object mirrors the record; at a leaf, an array lists the accepted values, each a literal or
 * `{ "prefix": "…" }`. A record matches when every field of the pattern matches; `filterPatterns` when any does.
 */
export type FilterPattern = {
  [field: string]: FilterPattern | readonly (string | number | boolean | { prefix: string })[];
};

const matchesLeaf = (value: unknown, accepted: readonly unknown[]): boolean =>
  accepted.some((candidate) => {
    if (candidate !== null && typeof candidate === 'object' && 'prefix' in candidate) {
      return typeof value === 'string' && value.startsWith(String((candidate as { prefix: unknown }).prefix));
    }
    return value === candidate;
  });

export const matchesPattern = (record: unknown, pattern: FilterPattern): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const value =
      record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
    if (value === undefined) return false;
    return Array.isArray(expected) ? matchesLeaf(value, expected) : matchesPattern(value, expected as FilterPattern);
  });

export const matchesAnyPattern = (record: unknown, patterns: readonly FilterPattern[]): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(record, pattern));

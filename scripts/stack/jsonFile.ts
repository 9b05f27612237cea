import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A JSON file's content, or `fallback` when it is missing or unreadable. */
export const readJsonFile = <T>(path: string, fallback: T): T => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
};

/**
 * Written beside and renamed over: a crash mid-write leaves the previous content, never half of it, and a reader never
 * sees half of it. `indent` for a file people read.
 */
export const writeJsonFile = (path: string, value: unknown, indent?: number): void => {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(value, null, indent)}\n`);
  renameSync(partial, path);
};

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';

const PROC_LOCKS = '/proc/locks';

/** Linux's st_dev encoding (the kernel's new_encode_dev), as /proc/locks prints it: `major:minor` in hex. */
const deviceOf = (dev: number): string => {
  const major = (dev >> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
};

/** e.g. `2: POSIX  ADVISORY  WRITE 18206 fe:00:5505341 0 EOF` (a waiter's line has `->` after the number). */
const LOCK_LINE = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+:[0-9a-f]+):(\d+)\s/;

const holdersInProcLocks = (lock: Stats): number[] =>
  readFileSync(PROC_LOCKS, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = LOCK_LINE.exec(line);
      return match && Number(match[3]) === lock.ino && match[2] === deviceOf(lock.dev) ? [Number(match[1])] : [];
    });

/** Elsewhere (macOS): the processes that have the file open, when `lsof` is there. */
const holdersByLsof = (lockFile: string): number[] => {
  const run = spawnSync('lsof', ['-t', '--', lockFile], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.split('\n').filter(Boolean).map(Number) : [];
};

/**
 * The pid of another process that holds the LevelDB under `storePath` (dynalite's data), or undefined when
 * none does or this system cannot tell. dynalite opens it lazily and, when it is locked, throws "Database is
 * closed" from inside its request handler, out of the caller's reach: so it is asked before.
 */
export const storeLockHolder = (storePath: string): number | undefined => {
  const lockFile = join(storePath, 'LOCK');
  let lock: Stats;
  try {
    lock = statSync(lockFile);
  } catch {
    return undefined;
  }
  const holders = existsSync(PROC_LOCKS) ? holdersInProcLocks(lock) : holdersByLsof(lockFile);
  return holders.find((pid) => pid !== process.pid);
};

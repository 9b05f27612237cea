/**
 * Node 24, the Lambda runtime's major version, for the tools that must run on it too (the bench): the official
 * binary from the npm registry's node-linux-<arch> package (npm pack + tar, no install script), cached under the
 * git-ignored .ci/cache/ exactly where .ci/run puts it, so either one fetches it once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../localSettings.js';

/** .ci/run's default; NODE24_VERSION picks another 24.x for both. */
export const NODE24_VERSION = process.env.NODE24_VERSION ?? '24.21.0';

const run = (command: string, args: readonly string[]) => {
  const result = spawnSync(command, args, { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
};

/** The path of Node 24's binary, fetched into the cache first if it is not there. */
export const ensureNode24 = (): string => {
  if (platform() !== 'linux' || (arch() !== 'x64' && arch() !== 'arm64'))
    throw new Error(`no Node 24 package for ${platform()} ${arch()}`);
  const directory = join(repositoryRoot, '.ci', 'cache', `node-${NODE24_VERSION}-linux-${arch()}`);
  const binary = join(directory, 'bin', 'node');
  if (existsSync(binary)) return binary;
  const download = `${directory}.download`;
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  run('npm', ['pack', `node-linux-${arch()}@${NODE24_VERSION}`, '--pack-destination', download, '--silent']);
  const tarball = readdirSync(download).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${download}`);
  run('tar', ['-xzf', join(download, tarball), '-C', download]);
  rmSync(directory, { recursive: true, force: true });
  renameSync(join(download, 'package'), directory);
  rmSync(download, { recursive: true, force: true });
  return binary;
};

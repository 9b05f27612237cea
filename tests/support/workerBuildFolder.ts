import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';

const WORKER_BUILD_FOLDER_PREFIX = '.esbuild-vitest-';

/**
 * The serverless-esbuild folder (SERVERLESS_ESBUILD_WORK_FOLDER) of one Vitest worker of one run: the files that run
 * side by side each build `npm start`, `serverless package` and `serverless invoke local` in their own, and never
 * delete each other's bundles, another run's in the same checkout, or the developer's .esbuild/ under `npm start`.
 */
export const workerBuildFolder = (runId: string, poolId: string): string =>
  `${WORKER_BUILD_FOLDER_PREFIX}${runId.slice(0, 8)}-${poolId}`;

/** A run that was killed could not remove its folders: they are removed by a later run, once this old. */
const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

/** At the end of a run: its workers' build folders (git-ignored); and any a killed run left, once abandoned. */
export const removeWorkerBuildFolders = (runId: string): void => {
  for (const entry of readdirSync(repositoryRoot)) {
    if (!entry.startsWith(WORKER_BUILD_FOLDER_PREFIX)) continue;
    const path = join(repositoryRoot, entry);
    const ours = entry.startsWith(workerBuildFolder(runId, ''));
    if (ours || Date.now() - statSync(path).mtimeMs > ABANDONED_AFTER_MS)
      rmSync(path, { recursive: true, force: true });
  }
};

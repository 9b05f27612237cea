import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';

const WORKER_BUILD_FOLDER_PREFIX = '.esbuild-vitest-';

/**
 * The serverless-esbuild folder (SERVERLESS_ESBUILD_WORK_FOLDER) of one Vitest worker: the files that run side by
 * side each build `npm start`, `serverless package` and `serverless invoke local` in their own, and never delete
 * each other's bundles, nor the developer's .esbuild/ under a running `npm start`.
 */
export const workerBuildFolder = (poolId: string): string => `${WORKER_BUILD_FOLDER_PREFIX}${poolId}`;

/** Before and after a run: the workers' build folders (git-ignored), with whatever a stopped build left in them. */
export const removeWorkerBuildFolders = (): void => {
  for (const entry of readdirSync(repositoryRoot)) {
    if (entry.startsWith(WORKER_BUILD_FOLDER_PREFIX))
      rmSync(join(repositoryRoot, entry), { recursive: true, force: true });
  }
};

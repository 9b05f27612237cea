/** serverless-esbuild's own default: the functions are built in .esbuild/ (git-ignored) inside the repository. */
export const DEFAULT_ESBUILD_WORK_FOLDER = '.esbuild';

/** One folder name inside the repository: no separator, never `.` or `..` (`npm start` deletes it before a build). */
const FOLDER_NAME = /^[\w.-]+$/;

/**
 * Where serverless-esbuild builds the functions for `npm start`, `serverless package` and `serverless invoke local`:
 * SERVERLESS_ESBUILD_WORK_FOLDER, a folder name inside the repository, default .esbuild. Two of them running at once
 * from one checkout need a folder each, or one deletes the other's bundles: the test suite gives each of its workers
 * its own (.esbuild-vitest-<run>-<worker>; `.esbuild*` is git-ignored).
 */
export const esbuildWorkFolder = (env: NodeJS.ProcessEnv = process.env): string => {
  const folder = env.SERVERLESS_ESBUILD_WORK_FOLDER?.trim() || DEFAULT_ESBUILD_WORK_FOLDER;
  if (!FOLDER_NAME.test(folder) || /^\.+$/.test(folder))
    throw new Error(`SERVERLESS_ESBUILD_WORK_FOLDER must be one folder name inside the repository, not "${folder}"`);
  return folder;
};

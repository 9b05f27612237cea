import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDKAppID of the sample events in events/, and the `local` stage's in serverless.yml. */
export const LOCAL_SDK_APP_ID = '1400000001';
export const DEFAULT_HTTP_PORT = 3000;
/** serverless-offline's Lambda port (serverless.yml: custom.serverless-offline.lambdaPort), OFFLINE_LAMBDA_PORT. */
export const DEFAULT_OFFLINE_LAMBDA_PORT = 3002;
export { LOCAL_TABLE_NAME } from '../../lib/config.js';
export { DEFAULT_LOCAL_DYNAMODB_PORT } from '../../lib/dynamo/client.js';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The project's own CLIs, run with this Node (no shell, no PATH lookup). */
export const serverlessCli = join(repositoryRoot, 'node_modules', 'serverless', 'bin', 'serverless.js');
export const tsxCli = join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * Where `npm start` and the local tools keep their data and the running stack's file: .data/ (git-ignored), or
 * LOCAL_DATA_DIR (the tests and `npm run load` give their servers a folder of their own).
 */
export const localDataDirectory = resolve(process.env.LOCAL_DATA_DIR?.trim() || join(repositoryRoot, '.data'));

/** The embedded DynamoDB's (dynalite's) data. */
export const localDataPath = join(localDataDirectory, 'dynamodb');

export const portFrom = (value: string | undefined, fallback: number): number => {
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : fallback;
};

/** A path for a message: relative to the repository when inside it (`.data/dynamodb`), else absolute. */
export const shownPath = (path: string): string => {
  const inside = relative(repositoryRoot, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
};

import { aroundAll, inject } from 'vitest';
import { describeProcesses, killProcessesOwnedBy, PROCESS_OWNER_VARIABLE, processOwner } from './leftoverProcesses.js';
import { workerBuildFolder } from './workerBuildFolder.js';

/**
 * Vitest setup file, run in each test file's process before the file: what makes files safe side by side.
 * - Every process the file starts, and theirs, carries this file's owner mark in its environment; once the file has
 *   run, however it ended (a failed beforeAll, a test that threw before its server.stop(), an afterAll that failed),
 *   whatever still runs with the mark is killed, so no server outlives its file or holds its ports.
 * - serverless-esbuild builds in this worker's own folder (SERVERLESS_ESBUILD_WORK_FOLDER), which no file running
 *   beside it deletes.
 */
const runId = inject('testRun').id;
const owner = processOwner(runId, process.env.VITEST_WORKER_ID ?? String(process.pid));
process.env[PROCESS_OWNER_VARIABLE] = owner;
process.env.SERVERLESS_ESBUILD_WORK_FOLDER = workerBuildFolder(runId, process.env.VITEST_POOL_ID ?? '1');

aroundAll(async function killWhatTheFileLeft(runFile) {
  try {
    await runFile();
  } finally {
    const leftovers = await killProcessesOwnedBy((candidate) => candidate === owner);
    if (leftovers.length > 0)
      console.warn(
        `Killed ${leftovers.length} process(es) this test file left running:\n${describeProcesses(leftovers)}`,
      );
  }
});

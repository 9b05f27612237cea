import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { describeProcesses, killProcessesOwnedBy } from './leftoverProcesses.js';
import { removeWorkerBuildFolders } from './workerBuildFolder.js';

/**
 * Vitest global setup: names the run (each test file's processes carry the name, tests/support/testFileSetup.ts) and,
 * when the run ends however it ends, kills whatever they left running: a server whose test threw before stopping
 * it, the grandchild of a worker that died. Nothing of ours is left listening after `npm test`.
 */
export default function prepareTestRun(project: TestProject): () => Promise<void> {
  const id = randomUUID();
  project.provide('testRun', { id });
  return async function killWhatTheRunLeft() {
    const leftovers = await killProcessesOwnedBy((owner) => owner.startsWith(`${id}/`));
    if (leftovers.length > 0)
      console.warn(
        `Killed ${leftovers.length} process(es) the test run left running:\n${describeProcesses(leftovers)}`,
      );
    removeWorkerBuildFolders(id);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testRun: { id: string };
  }
}

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: [
      // One DynamoDB Local (Java) for the run: the integration tests that run on both engines share it.
      'tests/support/dynamodbLocalSetup.ts',
      // Names the run, and kills at its end whatever its files left running.
      'tests/support/testRunSetup.ts',
    ],
    // Per file: its processes marked and killed when it ends, its worker's own serverless-esbuild folder.
    setupFiles: ['tests/support/testFileSetup.ts'],
    env: {
      LOG_LEVEL: 'silent',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // Files run side by side, at least two at a time (Vitest's default leaves one core free: one worker on two
    // cores, where most files wait on child processes and DynamoDB). Nothing they share is shared unsafely: each
    // worker builds in its own serverless-esbuild folder, `serverless package` runs one at a time (the framework's
    // .serverless/), every server listens on free ports and keeps its data apart, every test makes its own tables
    // on the run's one DynamoDB Local.
    maxWorkers: Math.max(2, availableParallelism()),
    // Timeouts are hang detectors, not speed limits: generous enough for a busy CI runner.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

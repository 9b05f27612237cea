import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One DynamoDB Local (Java) for the run: the integration tests that run on both engines share it.
    globalSetup: ['tests/support/dynamodbLocalSetup.ts'],
    env: {
      LOG_LEVEL: 'silent',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // The template test and the local-server test both build into serverless-esbuild's .esbuild/ folder.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

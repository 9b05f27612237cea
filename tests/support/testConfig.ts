import type { WebhookConfig } from '../../lib/config.js';
import { TEST_SDK_APP_ID } from './tencentRequest.js';

/** The receiver's settings as tests use them: our test app, no token, the documented 60 s skew. */
export const testConfig = (overrides: Partial<WebhookConfig> = {}): WebhookConfig => ({
  sdkAppId: TEST_SDK_APP_ID,
  callbackToken: undefined,
  callbackTokenNext: undefined,
  maxClockSkewSeconds: 60,
  tableName: 'events',
  retentionDays: undefined,
  ...overrides,
});

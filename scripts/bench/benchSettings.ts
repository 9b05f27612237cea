import { LOCAL_SDK_APP_ID } from '../local/localSettings.js';

/** How much the bench measures: about 35 s on a shared 2-core machine, far under the three minutes allowed. */
export const BENCH_SETTINGS = {
  /** The function as the bench packages it: a stage of its own, the sample events' app, a token so Sign is checked. */
  functionName: 'webhook',
  stage: 'bench',
  sdkAppId: LOCAL_SDK_APP_ID,
  callbackToken: 'bench-callback-token',
  /** Fresh processes per contender, alternating webhook/baseline. */
  coldStartPairs: 60,
  /** One long-lived process per contender, alternating; the warm-up pairs are not counted. */
  warmupPairs: 100,
  warmPairs: 1_500,
  warmMaxDurationMs: 60_000,
  /** Store stubbed out: no I/O, so many more invocations. */
  overheadWarmupInvocations: 2_000,
  overheadBatches: 40,
  overheadInvocationsPerBatch: 250,
} as const;

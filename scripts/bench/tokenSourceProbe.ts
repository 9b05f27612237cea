/** Probe: in this fresh process, load one bundle (its init, the token read started) and answer one signed event. */
import { distinctWebhookEvents } from './distinctWebhookEvents.js';
import { assertAccepted, lambdaContext, loadLambdaHandler } from './lambdaHandlerModule.js';
import { runProbe } from './probeChannel.js';

export interface TokenSourceProbeInput {
  bundlePath: string;
  runId: string;
  /** The token the callback is signed with, wherever the function reads it from. */
  signingToken: string;
}

export interface TokenSourceProbeReport {
  loadMs: number;
  firstInvocationMs: number;
}

runProbe<TokenSourceProbeInput, TokenSourceProbeReport>(async ({ bundlePath, runId, signingToken }) => {
  const event = distinctWebhookEvents({ sdkAppId: process.env.SDK_APP_ID ?? '', callbackToken: signingToken, runId })();
  const started = performance.now();
  const handler = loadLambdaHandler(bundlePath);
  const loaded = performance.now();
  const response = await handler(event, lambdaContext('webhook', runId, 3_000));
  const answered = performance.now();
  assertAccepted(response);
  return { loadMs: loaded - started, firstInvocationMs: answered - started };
});

import type { ReceiverConfig } from '../receiverConfig.js';
import { writeLog } from '../structuredLog.js';
import { type CallbackTokenSource, ssmCallbackTokenSource } from './callbackTokenSource.js';

/**
 * The webhook's token source for its settings: the SSM parameter when one is named (the read starts now),
 * else none (the tokens in the environment, if any, are used as they are). A function allowed to run
 * unsigned says so in its log at every cold start.
 */
export const webhookTokenSource = (config: ReceiverConfig, env: NodeJS.ProcessEnv = process.env): CallbackTokenSource | undefined => {
  if (config.callbackTokenParameter !== undefined) return ssmCallbackTokenSource({ parameterName: config.callbackTokenParameter });
  if (env.ALLOW_UNSIGNED_CALLBACKS === 'true' && config.callbackToken === undefined && config.callbackTokenNext === undefined) {
    writeLog('WARN', 'callbacks are accepted unsigned', {
      detail: 'ALLOW_UNSIGNED_CALLBACKS=true and no callback token: anyone who knows the SdkAppid can post events',
    });
  }
  return undefined;
};

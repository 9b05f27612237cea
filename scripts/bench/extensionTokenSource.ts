/**
 * Measured candidate, not shipped: the token through the AWS Parameters and Secrets Lambda extension (a
 * layer serving SSM on localhost:2773, authenticated with the function's session token). Swapped in for
 * lib/webhook/webhookTokenSource.ts by `npm run bench:token`.
 */
import type { WebhookConfig } from '../../lib/config.js';
import type { CallbackTokenSource } from '../../lib/webhook/callbackTokenSource.js';
import { CallbackTokenUnavailableError } from '../../lib/webhook/errors.js';
import { type CallbackTokens, parseCallbackTokenValue } from '../../lib/webhook/callbackTokenSource.js';

const readThroughExtension = async (name: string, env: NodeJS.ProcessEnv): Promise<CallbackTokens> => {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const url = `http://localhost:${port}/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=true`;
  const response = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' } });
  if (!response.ok) throw new CallbackTokenUnavailableError(`extension answered ${response.status} for ${name}`);
  const answer = (await response.json()) as { Parameter?: { Value?: string } };
  return parseCallbackTokenValue(answer.Parameter?.Value);
};

export const webhookTokenSource = (config: WebhookConfig, env: NodeJS.ProcessEnv = process.env): CallbackTokenSource | undefined => {
  const name = config.callbackTokenParameter;
  if (name === undefined) return undefined;
  let tokens = readThroughExtension(name, env);
  tokens.catch(() => undefined);
  return {
    current: () => tokens.catch(() => (tokens = readThroughExtension(name, env))),
  };
};

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles only (scripts/deploy/bundleOptions.ts):
 * Lambda gives a function its role's credentials through these three variables and nothing else, so the SDK's
 * default chain (SSO, INI files, processes, web identity, container and instance metadata) is never reached there.
 * Local tools and tests are not bundled this way and keep the whole chain (AWS_PROFILE, SSO).
 */

/** Without these the function must not guess: every AWS call fails, naming what is missing. */
export class EnvironmentCredentialsMissingError extends Error {
  public constructor(missing: readonly string[]) {
    super(
      `no AWS credentials: ${missing.join(' and ')} not set (the deployed bundle reads only the environment ` +
        `Lambda provides)`,
    );
    this.name = 'EnvironmentCredentialsMissingError';
  }
}

export interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const readEnvironmentCredentials = (env: NodeJS.ProcessEnv = process.env): EnvironmentCredentials => {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (accessKeyId && secretAccessKey)
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  throw new EnvironmentCredentialsMissingError(
    ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((name) => !env[name]),
  );
};

/**
 * The export the SDK's clients import from `@aws-sdk/credential-provider-node`: a factory of credential providers.
 * The SDK does not cache what this provider returns (the default chain caches itself), and Lambda's variables
 * do not change during an execution environment's life: read once, on the first request that succeeds.
 */
export const defaultProvider = (_init?: unknown) => {
  let credentials: EnvironmentCredentials | undefined;
  return async (): Promise<EnvironmentCredentials> => (credentials ??= readEnvironmentCredentials());
};

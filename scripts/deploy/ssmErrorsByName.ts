import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The SSM client's one schema file, which registers every modeled error class of the service. */
const SSM_SCHEMAS_FILE = /[\\/]@aws-sdk[\\/]client-ssm[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/;
/** `n0_registry.registerError(ParameterNotFound$, ParameterNotFound);`: one line per modeled error. */
const MODELED_ERROR_REGISTRATION = /^n0_registry\.registerError\(\w+\$, \w+\);$/gm;

/**
 * Deployed bundles only: leaves out the registrations of SSM's 140 modeled error classes, which keep all of them
 * and their schemas in the bundle (about 50 KB) although the webhook calls GetParameter alone. An SSM error then
 * arrives as the client's SSMServiceException under the service's own error name (ParameterNotFound,
 * AccessDeniedException, ...), which is all the token source reads. The build fails if the SDK's layout changes.
 */
export const ssmErrorsByName: Plugin = {
  name: 'ssm-errors-by-name',
  setup(build) {
    build.onLoad({ filter: SSM_SCHEMAS_FILE }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const trimmed = source.replace(MODELED_ERROR_REGISTRATION, '');
      if (trimmed === source) {
        return {
          errors: [{ text: `${path} registers no modeled errors the way ssmErrorsByName expects: review the trim` }],
        };
      }
      return { contents: trimmed, loader: 'js' };
    });
  },
};

/** The stage `npm start`, `npm run invoke` and `serverless invoke local` use; never deployed. */
export const LOCAL_STAGE = 'local';

/** Commands that build or change a stack in AWS. */
const DEPLOYING_COMMANDS = new Set(['deploy', 'package']);

/**
 * Why `commands` must not run for `stage`, or undefined. `serverless deploy` without `--stage` would
 * otherwise deploy the local stage's sample SdkAppid, no token and 30 s timeouts to AWS.
 */
export const localStageRefusal = (commands: readonly string[], stage: string): string | undefined => {
  if (stage !== LOCAL_STAGE || !DEPLOYING_COMMANDS.has(commands[0] ?? '')) return undefined;
  return (
    `The "${LOCAL_STAGE}" stage is for npm start and invoke local only and is never deployed. ` +
    `Name the stage to ${commands.join(' ')}: e.g. serverless ${commands.join(' ')} --stage prod (docs/deploy.md, ` +
    `"Deploy").`
  );
};

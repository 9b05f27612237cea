'use strict';
/**
 * Local Serverless plugin (listed in serverless.yml): refuses to deploy or package the `local` stage before
 * anything reaches AWS, checks a stage's settings at package time, and makes `serverless invoke local` on the
 * local stage behave as `npm run invoke`: the same DynamoDB (AWS_ENDPOINT_URL_DYNAMODB, else the running
 * `npm start`'s, else .data/ opened for the call) and exit code 1 when an HTTP function answers other than 2xx.
 * The rules are TypeScript, loaded through tsx (a dev dependency, like the Serverless CLI itself); this file only
 * wires them to the hooks.
 */
const { require: requireTypeScript } = require('tsx/cjs/api');

const { LOCAL_STAGE, localStageRefusal } = requireTypeScript('./localStageGuard.ts', __filename);
const { checkDeploySettings } = requireTypeScript('./deploySettings.ts', __filename);

class DeploySafetyPlugin {
  constructor(serverless, options, { log }) {
    const stage = () => serverless.service.provider.stage;
    const fail = (message) => {
      throw new serverless.classes.Error(message);
    };
    // Checked here, not in a hook: the framework's own `initialize` hook for deploy already calls AWS (STS).
    const refusal = localStageRefusal(serverless.processedInput.commands, options.stage ?? stage());
    if (refusal !== undefined) fail(refusal);
    let localDynamo;
    let failedStatus;
    this.hooks = {
      'before:package:initialize': () => {
        const { errors, warnings } = checkDeploySettings(stage(), serverless.service.custom.settings ?? {});
        for (const warning of warnings) log.warning(warning);
        if (errors.length > 0) fail(`Settings of stage ${stage()} refused:\n  - ${errors.join('\n  - ')}`);
      },
      'before:invoke:local:invoke': async () => {
        if (stage() !== LOCAL_STAGE) return;
        requireTypeScript('../stack/quietNodeVersionWarning.ts', __filename);
        const { openToolDynamo } = requireTypeScript('../stack/dynamo/localDynamo.ts', __filename);
        const { LocalDynamoUnavailableError } = requireTypeScript(
          '../stack/dynamo/localDynamoUnavailableError.ts',
          __filename,
        );
        localDynamo = await openToolDynamo().catch((error) => {
          if (error instanceof LocalDynamoUnavailableError) fail(error.message);
          throw error;
        });
        process.env.AWS_ENDPOINT_URL_DYNAMODB = localDynamo.endpoint;
        const { watchInvokeLocalAnswers, failedHttpStatus } = requireTypeScript('./invokeLocalAnswers.ts', __filename);
        const invokeLocal = serverless.pluginManager.plugins.find(
          (plugin) => plugin.constructor.name === 'AwsInvokeLocal',
        );
        if (invokeLocal) watchInvokeLocalAnswers(invokeLocal, (answer) => (failedStatus = failedHttpStatus(answer)));
      },
      'after:invoke:local:invoke': async () => {
        await localDynamo?.close();
        if (failedStatus === undefined) return;
        log.error(`The function answered HTTP ${failedStatus}: exit code 1 (as npm run invoke).`);
        process.exitCode = 1;
      },
    };
  }
}

module.exports = DeploySafetyPlugin;

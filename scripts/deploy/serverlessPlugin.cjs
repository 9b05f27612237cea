'use strict';
/**
 * Local Serverless plugin (listed in serverless.yml): refuses to deploy or package the `local` stage before
 * anything reaches AWS, and checks a stage's settings at package time. The rules are TypeScript, loaded
 * through tsx (a dev dependency, like the Serverless CLI itself); this file only wires them to the hooks.
 */
const { require: requireTypeScript } = require('tsx/cjs/api');

const { localStageRefusal } = requireTypeScript('./localStageGuard.ts', __filename);
const { checkDeploySettings } = requireTypeScript('./deploySettings.ts', __filename);
const { finishTemplate } = requireTypeScript('./finishTemplate.ts', __filename);

class DeploySafetyPlugin {
  constructor(serverless, options, { log }) {
    const stage = () => serverless.service.provider.stage;
    const fail = (message) => {
      throw new serverless.classes.Error(message);
    };
    // Checked here, not in a hook: the framework's own `initialize` hook for deploy already calls AWS (STS).
    const refusal = localStageRefusal(serverless.processedInput.commands, options.stage ?? stage());
    if (refusal !== undefined) fail(refusal);
    this.hooks = {
      'before:package:initialize': () => {
        const { errors, warnings } = checkDeploySettings(stage(), serverless.service.custom.settings ?? {});
        for (const warning of warnings) log.warning(warning);
        if (errors.length > 0) fail(`Settings of stage ${stage()} refused:\n  - ${errors.join('\n  - ')}`);
      },
      // serverless.yml's resources and extensions are merged by now; the template is saved right after.
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        finishTemplate(serverless.service.provider.compiledCloudFormationTemplate, {
          service: serverless.service.service,
          stage: stage(),
          region: serverless.getProvider('aws').getRegion(),
          metricsNamespace: serverless.service.custom.metricsNamespace,
        });
      },
    };
  }
}

module.exports = DeploySafetyPlugin;

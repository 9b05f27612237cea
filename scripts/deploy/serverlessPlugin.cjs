'use strict';
/**
 * Local Serverless plugin (listed in serverless.yml): refuses to deploy or package the `local` stage before
 * anything reaches AWS, checks a stage's settings at package time, finishes the template, and before a deploy
 * reaches CloudFormation looks for what an earlier deploy left behind. On the local stage it makes
 * `serverless invoke local` behave as `npm run invoke`: the same DynamoDB (AWS_ENDPOINT_URL_DYNAMODB, else the
 * running `npm start`'s, else .data/ opened for the call) and exit code 1 when an HTTP function answers other than
 * 2xx. The rules are TypeScript, loaded through tsx (a dev dependency, like the Serverless CLI itself); this file
 * only wires them to the hooks and to AWS.
 */
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { require: requireTypeScript } = require('tsx/cjs/api');

const { LOCAL_STAGE, localStageRefusal } = requireTypeScript('./localStageGuard.ts', __filename);
const { checkDeploySettings } = requireTypeScript('./deploySettings.ts', __filename);
const { finishTemplate } = requireTypeScript('./finishTemplate.ts', __filename);
const { readForwardTo } = requireTypeScript('./forwardToSetting.ts', __filename);
const retained = requireTypeScript('./retainedResources.ts', __filename);
const { holdBackDeletionProtection, protectedTableIds } = requireTypeScript('./tableDeletionProtection.ts', __filename);

// The clients osls itself deploys with (its dependencies, not the project's), and the project's own DynamoDB one.
const requireFromServerless = createRequire(require.resolve('serverless/package.json'));
const cloudFormation = requireFromServerless('@aws-sdk/client-cloudformation');
const cloudWatchLogs = requireFromServerless('@aws-sdk/client-cloudwatch-logs');
const dynamodb = require('@aws-sdk/client-dynamodb');

/** The account as the retained-resource check asks it, with the deployer's credentials and region. */
const accountLookup = (provider, stackName) => {
  const config = provider.getAwsSdkV3Config();
  const send = async (Client, command) => new Client(await config).send(command);
  const cloudFormationSend = async (command) => (await provider.getCloudFormationClient()).send(command);
  const missing = (error, pattern) => error.name === 'ValidationError' && pattern.test(error.message ?? '');
  return {
    async stackExists() {
      try {
        await cloudFormationSend(new cloudFormation.DescribeStacksCommand({ StackName: stackName }));
        return true;
      } catch (error) {
        if (missing(error, /does not exist/)) return false;
        throw error;
      }
    },
    async stackHolds(logicalId) {
      try {
        const input = { StackName: stackName, LogicalResourceId: logicalId };
        await cloudFormationSend(new cloudFormation.DescribeStackResourceCommand(input));
        return true;
      } catch (error) {
        if (missing(error, /does not exist/)) return false;
        throw error;
      }
    },
    async stackTemplate() {
      const input = { StackName: stackName, TemplateStage: 'Original' };
      const { TemplateBody } = await cloudFormationSend(new cloudFormation.GetTemplateCommand(input));
      return JSON.parse(TemplateBody);
    },
    async exists({ type, name }) {
      if (type === 'AWS::Logs::LogGroup') {
        const { logGroups = [] } = await send(
          cloudWatchLogs.CloudWatchLogsClient,
          new cloudWatchLogs.DescribeLogGroupsCommand({ logGroupNamePrefix: name }),
        );
        return logGroups.some((group) => group.logGroupName === name);
      }
      try {
        await send(dynamodb.DynamoDBClient, new dynamodb.DescribeTableCommand({ TableName: name }));
        return true;
      } catch (error) {
        if (error.name === 'ResourceNotFoundException') return false;
        throw error;
      }
    },
  };
};

class DeploySafetyPlugin {
  constructor(serverless, options, { log }) {
    const stage = () => serverless.service.provider.stage;
    const provider = () => serverless.getProvider('aws');
    const template = () => serverless.service.provider.compiledCloudFormationTemplate;
    const fail = (message) => {
      throw new serverless.classes.Error(message);
    };
    // Checked here, not in a hook: the framework's own `initialize` hook for deploy already calls AWS (STS).
    const refusal = localStageRefusal(serverless.processedInput.commands, options.stage ?? stage());
    if (refusal !== undefined) fail(refusal);
    let localDynamo;
    let failedStatus;
    let heldBackTables = [];
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
      // serverless.yml's resources and extensions are merged by now; the template is saved right after.
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        const settings = serverless.service.custom.settings ?? {};
        finishTemplate(template(), {
          service: serverless.service.service,
          stage: stage(),
          region: provider().getRegion(),
          metricsNamespace: serverless.service.custom.metricsNamespace,
          eventSource: String(settings.eventSource),
          // Checked before the package began (checkDeploySettings): here it reads clean.
          forwardTo: readForwardTo(settings.forwardTo).targets,
        });
      },
      // The last moment before the deploy asks CloudFormation to create or change anything.
      'before:aws:deploy:deploy:createStack': async () => {
        const stackName = provider().naming.getStackName();
        const lookup = accountLookup(provider(), stackName);
        const survey = await retained.surveyStack(template(), lookup, protectedTableIds(template()));
        if (survey.leftBehind.length > 0) {
          const packageDirectory = options.package ?? path.join(serverless.serviceDir, '.serverless');
          const createTemplateFile = provider().naming.getCoreTemplateFileName();
          const base = survey.stackExists
            ? await lookup.stackTemplate()
            : JSON.parse(readFileSync(path.join(packageDirectory, createTemplateFile), 'utf8'));
          mkdirSync(packageDirectory, { recursive: true });
          const adoption = retained.adoptionTemplate(base, template(), survey.leftBehind);
          const write = (file, content) =>
            writeFileSync(path.join(packageDirectory, file), `${JSON.stringify(content, null, 2)}\n`);
          write(retained.ADOPTION_TEMPLATE_FILE, adoption);
          write(retained.ADOPTION_RESOURCES_FILE, retained.resourcesToImport(survey.leftBehind));
          const shown = path.relative(process.cwd(), packageDirectory);
          fail(
            retained.leftBehindRefusal(survey.leftBehind, {
              stage: stage(),
              region: provider().getRegion(),
              stackName,
              stackExists: survey.stackExists,
              packageDirectory: shown.startsWith('..') || path.isAbsolute(shown) ? packageDirectory : shown,
              createTemplateFile,
            }),
          );
        }
        heldBackTables = holdBackDeletionProtection(template(), survey.held);
        for (const { tableName } of heldBackTables)
          log.notice(
            `Table ${tableName} is created without deletion protection; it is turned on once this deploy succeeds`,
          );
      },
      'after:deploy:deploy': async () => {
        for (const { tableName } of heldBackTables) {
          try {
            const client = new dynamodb.DynamoDBClient(await provider().getAwsSdkV3Config());
            await client.send(
              new dynamodb.UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true }),
            );
            log.notice(`Deletion protection turned on for table ${tableName}`);
          } catch (error) {
            log.warning(
              `Deletion protection of table ${tableName} could not be turned on (${error.name}: ${error.message}); ` +
                `the next deploy turns it on, or: aws dynamodb update-table --region ${provider().getRegion()} ` +
                `--table-name ${tableName} --deletion-protection-enabled`,
            );
          }
        }
      },
    };
  }
}

module.exports = DeploySafetyPlugin;

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, stop as stopEsbuildService } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KEY_MEMORY } from '../../lib/groupState/fold.js';
import streamEventSource from '../../lib/groupState/streamEventSource.json' with { type: 'json' };
import { BUNDLE_EXTENSION, deployedBuildOptions } from '../../scripts/deploy/bundleOptions.js';
import { eventsTableDefinition } from '../../scripts/stack/dynamo/eventsTable.js';
import { LOCAL_SDK_APP_ID, repositoryRoot, serverlessCli } from '../../scripts/stack/localSettings.js';
import { readZipEntry } from '../../scripts/stack/process/zipEntry.js';
import { startSsmStandIn } from '../../scripts/stack/ssmStandIn.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';
import type { Resource, Template, TemplateJson } from '../support/cloudFormation.js';
import {
  DEPLOYED_STAGE_PARAMS,
  PACKAGE_TIMEOUT_MS,
  serverlessPackage,
  withServerlessFolder,
} from '../support/serverlessPackage.js';
import {
  type SignatureCheckingAws,
  startSignatureCheckingAws,
  type TestCredentials,
} from '../support/signatureCheckingAws.js';
import { signedQuery, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';

/** `serverless package` runs offline: these tests read the CloudFormation it would deploy. */

const PROD_SETTINGS = DEPLOYED_STAGE_PARAMS;
const FUNCTION_NAMES = [
  'GroupStateLambdaFunction',
  'GroupsLambdaFunction',
  'PublishLambdaFunction',
  'RedriveLambdaFunction',
  'WebhookLambdaFunction',
];

/** How the webhook and the redrive get the stack's generated seal key: resolved by CloudFormation at deploy. */
const SEAL_KEY_REFERENCE = { 'Fn::Sub': '{{resolve:secretsmanager:${ReplaySealKey}:SecretString}}' };

const outputDirs: string[] = [];

const serverless = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [serverlessCli, ...args], {
    cwd: repositoryRoot,
    env: envWithoutReceiverSettings(env),
    encoding: 'utf8',
  });

/** Like `serverless` but leaves this process's event loop free, for a server in the test to answer. */
const serverlessInBackground = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [serverlessCli, ...args], {
      cwd: repositoryRoot,
      env: envWithoutReceiverSettings(env),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('close', (status) => resolve({ status, output }));
  });

const packageStage = async (args: string[]) => {
  const outputDir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  outputDirs.push(outputDir);
  return { run: await serverlessPackage(['--package', outputDir, ...args]), outputDir };
};

const readTemplate = (outputDir: string, file = 'cloudformation-template-update-stack.json'): Template =>
  JSON.parse(readFileSync(join(outputDir, file), 'utf8')) as Template;

/** cfn-lint (Python) is on the project's machines, maybe not on a CI runner's: there its tests are skipped. */
const cfnLintInstalled = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

const metricStat = (metricName: string) => ({
  Metric: {
    Namespace: 'AWS/ApiGateway',
    MetricName: metricName,
    Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
  },
  Period: 300,
  Stat: 'Sum',
});

let prod: Template;
let prodOutputDir: string;

beforeAll(async () => {
  const { run, outputDir } = await packageStage(['--stage', 'prod', ...PROD_SETTINGS]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  prod = readTemplate(outputDir);
  prodOutputDir = outputDir;
}, PACKAGE_TIMEOUT_MS);

afterAll(() => {
  for (const dir of outputDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the packaged template (stage prod)', () => {
  it('routes POST /webhook (open: Tencent signs nothing AWS can check) and the IAM-authorized read routes', () => {
    const routes = resourcesOfType(prod, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
      route.Properties.RouteKey,
      route.Properties.AuthorizationType ?? 'NONE',
      JSON.stringify(route.Properties.Target),
    ]);
    expect(routes.map(([key, auth]) => [key, auth]).sort()).toEqual([
      ['GET /groups/{groupId}', 'AWS_IAM'],
      ['GET /groups/{groupId}/events', 'AWS_IAM'],
      ['GET /groups/{groupId}/events/{eventId}', 'AWS_IAM'],
      ['POST /webhook', 'NONE'],
    ]);
    const integrations = Object.fromEntries(
      resourcesOfType(prod, 'AWS::ApiGatewayV2::Integration').map(([name, integration]) => [
        name,
        integration.Properties,
      ]),
    );
    for (const [key, , target] of routes) {
      const integrationName = key === 'POST /webhook' ? 'HttpApiIntegrationWebhook' : 'HttpApiIntegrationGroups';
      expect(target, key).toContain(integrationName);
      expect(integrations[integrationName]?.PayloadFormatVersion).toBe('2.0');
    }
    expect(JSON.stringify(integrations.HttpApiIntegrationWebhook?.IntegrationUri)).toContain('WebhookLambdaFunction');
    expect(JSON.stringify(integrations.HttpApiIntegrationGroups?.IntegrationUri)).toContain('GroupsLambdaFunction');
  });

  it(
    'runs the function on nodejs24.x, arm64, with settings from deploy-time parameters and the ' + "token's name only",
    () => {
      const functions = Object.fromEntries(resourcesOfType(prod, 'AWS::Lambda::Function'));
      expect(Object.keys(functions).sort()).toEqual(FUNCTION_NAMES);
      const webhook = functions.WebhookLambdaFunction;
      expect(webhook?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'functions/webhook.handler',
        FunctionName: 'tencent-chat-webhooks-prod-webhook',
      });
      expect(webhook?.Properties.Environment.Variables).toEqual({
        SDK_APP_ID: '1400123456',
        CALLBACK_TOKEN: '',
        CALLBACK_TOKEN_NEXT: '',
        CALLBACK_TOKEN_PARAMETER: '/chat/prod/callback-token',
        ALLOW_UNSIGNED_CALLBACKS: 'false',
        CALLBACK_MAX_SKEW_SECONDS: '',
        SOURCE_IP_ALLOWLIST: '',
        EVENT_RETENTION_DAYS: '',
        TABLE_NAME: 'tencent-chat-webhooks-prod-events',
        GROUP_STATE_UPDATES: 'stream',
        LOG_LEVEL: 'INFO',
        REPLAY_SEAL_KEY: SEAL_KEY_REFERENCE,
      });
      // Only a stuck function reaches it: the store gives up after 1 s, inside Tencent's 2 s.
      expect(webhook?.Properties.Timeout).toBe(3);
      // The CPU share of 1,024 MB keeps a cold start well inside Tencent's 2 s; the others are not on its clock.
      expect(Object.fromEntries(FUNCTION_NAMES.map((name) => [name, functions[name]?.Properties.MemorySize]))).toEqual({
        GroupStateLambdaFunction: 512,
        GroupsLambdaFunction: 512,
        PublishLambdaFunction: 512,
        RedriveLambdaFunction: 512,
        WebhookLambdaFunction: 1024,
      });
      // The other functions see the table's name only: never the callback token.
      for (const name of ['GroupStateLambdaFunction', 'GroupsLambdaFunction']) {
        expect(functions[name]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
        // The read API's page reassembles up to 5 MB of bodies: the HTTP API's whole 30 s wait, less a second.
        expect(functions[name]?.Properties.Timeout, name).toBe(name === 'GroupStateLambdaFunction' ? 60 : 29);
        expect(functions[name]?.Properties.Environment.Variables, name).toEqual({
          TABLE_NAME: 'tencent-chat-webhooks-prod-events',
          LOG_LEVEL: 'INFO',
        });
      }
      // No reserved concurrency unless asked for; no version kept per deploy.
      expect(webhook?.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
      expect(resourcesOfType(prod, 'AWS::Lambda::Version')).toEqual([]);
    },
  );

  it("lets the webhook read the token's SSM parameter, and nothing else in SSM", () => {
    const statements: TemplateJson[] = prod.Resources.WebhookRole?.Properties.Policies[0].PolicyDocument.Statement;
    const ssm = statements.filter((statement) => JSON.stringify(statement.Action).includes('ssm:'));
    expect(ssm).toHaveLength(1);
    expect(ssm[0].Action).toBe('ssm:GetParameter');
    expect(JSON.stringify(ssm[0].Resource)).toContain(':parameter/chat/prod/callback-token');
    expect(JSON.stringify(ssm[0].Resource)).toContain('AWS::Partition');
  });

  it('ships each function in its own zip holding its own bundle only, AWS SDK included, and no node_modules', () => {
    const artifacts = readdirSync(prodOutputDir).filter((file) => file.endsWith('.zip'));
    expect(artifacts.sort()).toEqual(['groupState.zip', 'groups.zip', 'publish.zip', 'redrive.zip', 'webhook.zip']);
    for (const name of ['webhook', 'groupState', 'groups', 'redrive', 'publish']) {
      // Entry names are stored uncompressed in a zip, so they can be read from the bytes.
      const zip = readFileSync(join(prodOutputDir, `${name}.zip`)).toString('latin1');
      const bundles = ['webhook', 'groupState', 'groups', 'redrive', 'publish'].filter((entry) =>
        zip.includes(`functions/${entry}.cjs`),
      );
      expect(bundles, name).toEqual([name]);
      expect(zip).not.toContain('node_modules/');
      expect(zip).not.toContain('.map');
    }
  });

  it(
    "keeps the table and the webhook's log when the stack is removed or the table replaced, but not when the " +
      'deploy that created them rolls back, so that it can be retried',
    () => {
      const table = prod.Resources.EventsTable;
      expect(table).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      expect(prod.Resources.WebhookLogGroup).toMatchObject({
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
      // Nothing else is kept: a rollback leaves nothing behind in the way of the next attempt.
      const kept = Object.entries(prod.Resources).filter(([, resource]) => resource.DeletionPolicy !== undefined);
      expect(kept.map(([name]) => name).sort()).toEqual(['EventsTable', 'WebhookLogGroup']);
      // The deploy that creates the table turns this off (tests/unit/deploy/tableDeletionProtection.test.ts).
      expect(table?.Properties.DeletionProtectionEnabled).toBe('true');
      // No throughput cap unless asked for.
      expect(table?.Properties).not.toHaveProperty('OnDemandThroughput');
    },
  );

  it("gives the queues CloudFormation's names: SQS refuses a name deleted under 60 s before (a quick retry)", () => {
    for (const [name, queue] of resourcesOfType(prod, 'AWS::SQS::Queue'))
      expect(queue.Properties, name).not.toHaveProperty('QueueName');
  });

  it('holds no condition: each compared settings known at package time, and only the branch taken is left', () => {
    expect(prod.Conditions).toBeUndefined();
    expect(JSON.stringify(prod)).not.toContain('Fn::If');
    expect(prod.Resources.AlarmEmailSubscription).toBeUndefined();
  });

  it('generates a seal key of its own and hands it to the webhook and the redrive only', () => {
    expect(prod.Resources.ReplaySealKey).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
    });
    // New with each stack (its id's last part): never the name of a removed stage's secret still being deleted.
    expect(prod.Resources.ReplaySealKey?.Properties.Name).toEqual({
      'Fn::Join': [
        '',
        [
          'tencent-chat-webhooks-prod-replay-seal-key-',
          { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
        ],
      ],
    });
    expect(prod.Resources.ReplaySealKey?.Properties).not.toHaveProperty('SecretString');
    const holders = resourcesOfType(prod, 'AWS::Lambda::Function')
      .filter(([, fn]) => JSON.stringify(fn.Properties).includes('ReplaySealKey'))
      .map(([name, fn]) => [name, fn.Properties.Environment.Variables.REPLAY_SEAL_KEY]);
    expect(holders).toEqual([
      ['WebhookLambdaFunction', SEAL_KEY_REFERENCE],
      ['RedriveLambdaFunction', SEAL_KEY_REFERENCE],
    ]);
    // The key itself is never in the template: the output names the secret, for `npm run replay -- --aws`.
    expect(prod.Outputs.ReplaySealKeyArn?.Value).toEqual({ Ref: 'ReplaySealKey' });
  });

  it('throttles the HTTP API stage by default', () => {
    expect(prod.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
    });
  });

  it('counts each webhook outcome, each verified command and each cold start from the log, and the 429s', () => {
    const filters = Object.fromEntries(
      resourcesOfType(prod, 'AWS::Logs::MetricFilter').map(([name, filter]) => [name, filter.Properties]),
    );
    const metric = (name: string, dimensions?: { Key: string; Value: string }[]) => ({
      MetricNamespace: 'TencentChatWebhooks/prod',
      MetricName: name,
      MetricValue: '1',
      Unit: 'Count',
      ...(dimensions === undefined ? {} : { Dimensions: dimensions }),
    });

    expect(filters).toEqual({
      WebhookOutcomeMetricFilter: {
        LogGroupName: { Ref: 'WebhookLogGroup' },
        FilterPattern: '{ $.message = "webhook" && $.outcome = * }',
        MetricTransformations: [metric('Webhooks', [{ Key: 'Outcome', Value: '$.outcome' }])],
      },
      // A refused request's command is whatever its sender wrote: each value would be a metric of its own.
      WebhookCommandMetricFilter: {
        LogGroupName: { Ref: 'WebhookLogGroup' },
        FilterPattern:
          '{ ($.message = "webhook") && (($.outcome = "recorded") || ($.outcome = "duplicate") || ' +
          '($.outcome = "ignored")) }',
        MetricTransformations: [metric('WebhooksByCommand', [{ Key: 'Command', Value: '$.command' }])],
      },
      WebhookColdStartMetricFilter: {
        LogGroupName: { Ref: 'WebhookLogGroup' },
        FilterPattern: '"REPORT RequestId" "Init Duration"',
        MetricTransformations: [metric('WebhookColdStarts')],
      },
      RedriveUntrustedMetricFilter: {
        LogGroupName: { Ref: 'RedriveLogGroup' },
        FilterPattern: '{ $.message = "replayRecordUntrusted" }',
        MetricTransformations: [metric('ReplayRecordsUntrusted')],
      },
      ApiThrottledMetricFilter: {
        LogGroupName: { Ref: 'HttpApiLogGroup' },
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [metric('ApiThrottled')],
      },
    });
  });

  it(
    "alarms on failures, errors, throttles, lag, queued failures, the API's 5xx, 429s and share of 4xx, and the " +
      "redrive's dropped, undeliverable and untrusted events",
    () => {
      const metricOf = (properties: TemplateJson) =>
        properties.Metrics === undefined
          ? [properties.Namespace, properties.MetricName, JSON.stringify(properties.Dimensions?.[0]?.Value)]
          : properties.Metrics.filter((query: TemplateJson) => query.ReturnData).map(
              (query: TemplateJson) => query.Expression,
            );
      const alarms = Object.fromEntries(
        resourcesOfType(prod, 'AWS::CloudWatch::Alarm').map(([name, alarm]) => [name, metricOf(alarm.Properties)]),
      );

      expect(alarms).toEqual({
        WebhookFailedAlarm: ['TencentChatWebhooks/prod', 'Webhooks', '"failed"'],
        WebhookErrorsAlarm: ['AWS/Lambda', 'Errors', '{"Ref":"WebhookLambdaFunction"}'],
        WebhookThrottlesAlarm: ['AWS/Lambda', 'Throttles', '{"Ref":"WebhookLambdaFunction"}'],
        GroupStateErrorsAlarm: ['AWS/Lambda', 'Errors', '{"Ref":"GroupStateLambdaFunction"}'],
        GroupStateIteratorAgeAlarm: ['AWS/Lambda', 'IteratorAge', '{"Ref":"GroupStateLambdaFunction"}'],
        GroupStateFailuresQueueAlarm: [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          '{"Fn::GetAtt":["GroupStateFailuresQueue","QueueName"]}',
        ],
        ApiServerErrorsAlarm: ['AWS/ApiGateway', '5xx', '{"Ref":"HttpApi"}'],
        ApiThrottledAlarm: ['TencentChatWebhooks/prod', 'ApiThrottled', undefined],
        ApiClientErrorsAlarm: ['IF(clientErrors >= 20, 100 * clientErrors / requests, 0)'],
        RedriveErrorsAlarm: ['AWS/Lambda', 'Errors', '{"Ref":"RedriveLambdaFunction"}'],
        RedriveFailuresQueueAlarm: [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          '{"Fn::GetAtt":["RedriveFailuresQueue","QueueName"]}',
        ],
        RedriveEventsDroppedAlarm: ['AWS/Lambda', 'AsyncEventsDropped', '{"Ref":"RedriveLambdaFunction"}'],
        RedriveUndeliverableAlarm: ['AWS/Lambda', 'DestinationDeliveryFailures', '{"Ref":"RedriveLambdaFunction"}'],
        RedriveUntrustedAlarm: ['TencentChatWebhooks/prod', 'ReplayRecordsUntrusted', undefined],
        PublishErrorsAlarm: ['AWS/Lambda', 'Errors', '{"Ref":"PublishLambdaFunction"}'],
        PublishIteratorAgeAlarm: ['AWS/Lambda', 'IteratorAge', '{"Ref":"PublishLambdaFunction"}'],
        UnpublishedEventsQueueAlarm: [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          '{"Fn::GetAtt":["UnpublishedEventsQueue","QueueName"]}',
        ],
      });
      for (const [name, alarm] of resourcesOfType(prod, 'AWS::CloudWatch::Alarm')) {
        expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: 'AlarmTopic' }]);
        expect(alarm.Properties.OKActions, name).toEqual([{ Ref: 'AlarmTopic' }]);
        expect(alarm.Properties.TreatMissingData, name).toBe('notBreaching');
        expect(alarm.Properties.AlarmName, name).toMatch(/^tencent-chat-webhooks-prod-/);
      }
      expect(prod.Resources.GroupStateIteratorAgeAlarm?.Properties.Threshold).toBe('300000');
      // The 4xx share: over 5% of 5 minutes' answers, counted only once there are 20 of them (scanners' 404s).
      expect(prod.Resources.ApiClientErrorsAlarm?.Properties).toMatchObject({
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
      const queries = prod.Resources.ApiClientErrorsAlarm?.Properties.Metrics as TemplateJson[];
      expect(queries.filter((query) => query.MetricStat).map((query) => [query.Id, query.MetricStat])).toEqual([
        ['clientErrors', metricStat('4xx')],
        ['requests', metricStat('Count')],
      ]);
    },
  );

  it('logs every API request as a JSON line (request id, route, status, latency, source IP, errors), 30 days', () => {
    const stage = prod.Resources.HttpApiStage;
    expect(stage?.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] });
    const line = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(line).toEqual({
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      sourceIp: '$context.identity.sourceIp',
      error: '$context.error.message',
      integrationError: '$context.integrationErrorMessage',
      integrationStatus: '$context.integrationStatus',
      responseLength: '$context.responseLength',
    });
    expect(prod.Resources.HttpApiLogGroup?.Properties).toEqual({
      LogGroupName: '/aws/http-api/tencent-chat-webhooks-prod',
      RetentionInDays: 30,
    });
  });

  it('draws the dashboard: outcomes, commands, duration and cold starts, store failures, lag, queues, the API', () => {
    const dashboard = prod.Resources.Dashboard;
    expect(dashboard?.Properties.DashboardName).toBe('tencent-chat-webhooks-prod');
    const body = JSON.parse(dashboard?.Properties.DashboardBody['Fn::Sub']) as { widgets: TemplateJson[] };
    const titles = body.widgets.map((widget) => widget.properties.title);
    expect(titles).toEqual([
      'Alarms',
      'Deliveries by outcome (webhook log lines)',
      'Verified deliveries by command',
      'Webhook duration (ms) and cold starts',
      'Store failures',
      'Group state lag (iterator age, ms)',
      'Failure queues (messages waiting)',
      'Publishing to the bus: errors and lag (ms)',
      'Bus rules: invocations and failed invocations',
      'HTTP API answers',
    ]);
    const widget = (title: string) => body.widgets.find((candidate) => candidate.properties.title === title);
    const lines = (title: string) => JSON.stringify(widget(title).properties.metrics);
    // Every alarm of the stack, by state.
    expect(widget('Alarms').properties.alarms).toEqual(
      resourcesOfType(prod, 'AWS::CloudWatch::Alarm').map(([name]) => `\${${name}.Arn}`),
    );
    for (const outcome of ['recorded', 'duplicate', 'ignored', 'rejected', 'failed'])
      expect(lines('Deliveries by outcome (webhook log lines)')).toContain(`"Outcome","${outcome}"`);
    expect(lines('Verified deliveries by command')).toContain('MetricName=\\"WebhooksByCommand\\"');
    expect(lines('Webhook duration (ms) and cold starts')).toContain('"stat":"p50"');
    expect(lines('Webhook duration (ms) and cold starts')).toContain('"stat":"p99"');
    expect(lines('Webhook duration (ms) and cold starts')).toContain('"WebhookColdStarts"');
    expect(lines('Store failures')).toContain('"Outcome","failed"');
    expect(lines('Group state lag (iterator age, ms)')).toContain('"IteratorAge"');
    expect(lines('Failure queues (messages waiting)')).toContain('${RedriveFailuresQueue.QueueName}');
    expect(lines('Failure queues (messages waiting)')).toContain('${GroupStateFailuresQueue.QueueName}');
    expect(lines('Failure queues (messages waiting)')).toContain('${UnpublishedEventsQueue.QueueName}');
    expect(lines('Publishing to the bus: errors and lag (ms)')).toContain(
      '"Errors","FunctionName","${PublishLambdaFunction}"',
    );
    expect(lines('Publishing to the bus: errors and lag (ms)')).toContain('"IteratorAge"');
    for (const metricName of ['Invocations', 'FailedInvocations'])
      expect(lines('Bus rules: invocations and failed invocations')).toContain(
        `EventBusName=\\"\${EventBus}\\" MetricName=\\"${metricName}\\"`,
      );
    for (const metricName of ['"4xx"', '"5xx"', '"Count"', '"ApiThrottled"'])
      expect(lines('HTTP API answers')).toContain(metricName);
    // Its link is an output.
    expect(prod.Outputs.DashboardUrl?.Value).toEqual({
      'Fn::Sub': 'https://console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}',
    });
  });

  it("builds the URLs and CloudWatch Logs' principal with AWS::URLSuffix (China's end in .amazonaws.com.cn)", () => {
    for (const output of ['WebhookUrl', 'GroupsUrl']) {
      const value = JSON.stringify(prod.Outputs[output]?.Value);
      expect(value, output).toContain('AWS::URLSuffix');
      expect(value, output).not.toContain('amazonaws.com');
    }
    expect(prod.Resources.RedriveLambdaPermissionLogsSubscriptionFilterCloudWatchLog?.Properties.Principal).toEqual({
      'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
    });
  });

  it('declares the events table on demand, with point-in-time recovery, TTL and the local key schema', () => {
    const tables = resourcesOfType(prod, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] ?? [];
    const local = eventsTableDefinition('tencent-chat-webhooks-prod-events');
    expect(table?.Properties).toMatchObject({
      TableName: local.TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: local.KeySchema,
      AttributeDefinitions: local.AttributeDefinitions,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it(
    'feeds the groupState function from the stream: new event items only, partial batch failures, bounded ' +
      'retries, a failure queue',
    () => {
      const mappings = resourcesOfType(prod, 'AWS::Lambda::EventSourceMapping').filter(
        ([, candidate]) => candidate.Properties.FunctionName['Fn::GetAtt'][0] === 'GroupStateLambdaFunction',
      );
      expect(mappings).toHaveLength(1);
      const [, mapping] = mappings[0] ?? [];
      expect(mapping?.Properties).toEqual({
        BatchSize: 250,
        MaximumBatchingWindowInSeconds: 1,
        Enabled: true,
        EventSourceArn: { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] },
        FunctionName: { 'Fn::GetAtt': ['GroupStateLambdaFunction', 'Arn'] },
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86400,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['GroupStateFailuresQueue', 'Arn'] } } },
        FilterCriteria: { Filters: [{ Pattern: expect.any(String) }] },
      });
      expect(JSON.parse(mapping?.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
        eventName: ['INSERT'],
        dynamodb: { Keys: { sk: { S: [{ prefix: 'EVENT#' }] } } },
      });
      // The merge remembers the newest EVENT_KEY_MEMORY events: a redelivered batch is then found without a replay.
      expect(mapping?.Properties.BatchSize).toBeLessThanOrEqual(EVENT_KEY_MEMORY);
      // One source of truth with the local stream poller.
      expect(mapping?.Properties).toMatchObject({
        BatchSize: streamEventSource.batchSize,
        MaximumBatchingWindowInSeconds: streamEventSource.maximumBatchingWindowInSeconds,
        StartingPosition: streamEventSource.startingPosition,
        MaximumRetryAttempts: streamEventSource.maximumRetryAttempts,
        FunctionResponseTypes: [streamEventSource.functionResponseType],
      });
      expect(JSON.parse(mapping?.Properties.FilterCriteria.Filters[0].Pattern)).toEqual(
        streamEventSource.filterPatterns[0],
      );
    },
  );

  it('gives each function a role with only what it needs, on the events table and its stream, never on *', () => {
    // A conditional statement (Fn::If) counts as granted.
    const statementsOf = (role: Resource | undefined) =>
      (role?.Properties.Policies ?? [])
        .flatMap((policy: TemplateJson) => policy.PolicyDocument.Statement)
        .map((statement: TemplateJson) => statement['Fn::If']?.[1] ?? statement);
    const roleOf = (functionName: string) => {
      const reference = prod.Resources[functionName]?.Properties.Role['Fn::GetAtt'][0];
      return statementsOf(prod.Resources[reference]);
    };
    const grants = (statements: TemplateJson[], prefix: string) =>
      statements
        .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith(prefix)))
        .map((statement) => ({ actions: [statement.Action].flat().sort(), resource: statement.Resource }));
    const table = { 'Fn::GetAtt': ['EventsTable', 'Arn'] };
    const stream = { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] };

    expect(grants(roleOf('WebhookLambdaFunction'), 'dynamodb:')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resource: table },
    ]);
    expect(grants(roleOf('WebhookLambdaFunction'), 'sqs:')).toEqual([]);
    expect(grants(roleOf('WebhookLambdaFunction'), 'ssm:').map((grant) => grant.actions)).toEqual([
      ['ssm:GetParameter'],
    ]);
    expect(grants(roleOf('GroupStateLambdaFunction'), 'ssm:')).toEqual([]);
    expect(grants(roleOf('GroupsLambdaFunction'), 'ssm:')).toEqual([]);
    // The redrive checks the Sign of a delivery logged while the webhook could not read the token.
    expect(grants(roleOf('RedriveLambdaFunction'), 'ssm:')).toEqual(grants(roleOf('WebhookLambdaFunction'), 'ssm:'));
    expect(grants(roleOf('GroupStateLambdaFunction'), 'dynamodb:')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], resource: table },
      {
        actions: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        resource: stream,
      },
    ]);
    expect(grants(roleOf('GroupStateLambdaFunction'), 'sqs:')).toEqual([
      { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': ['GroupStateFailuresQueue', 'Arn'] } },
    ]);
    expect(grants(roleOf('GroupsLambdaFunction'), 'dynamodb:')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: table },
    ]);
    expect(grants(roleOf('GroupsLambdaFunction'), 'sqs:')).toEqual([]);

    // Serverless's shared role would be created (and handed the stream's permissions) if any function used it.
    expect(prod.Resources.IamRoleLambdaExecution).toBeUndefined();
    for (const name of [
      'WebhookLambdaFunction',
      'GroupStateLambdaFunction',
      'GroupsLambdaFunction',
      'PublishLambdaFunction',
    ]) {
      const logGroup = `${name.replace('LambdaFunction', '')}LogGroup`;
      expect(grants(roleOf(name), 'logs:'), name).toEqual([
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
      ]);
    }

    const wildcard = resourcesOfType(prod, 'AWS::IAM::Role')
      .flatMap(([, role]) => statementsOf(role))
      .filter(
        (statement: TemplateJson) =>
          [statement.Resource].flat().includes('*') &&
          [statement.Action].flat().some((action: string) => /^(dynamodb|sqs|events):/.test(action) || action === '*'),
      );
    expect(wildcard).toEqual([]);
  });
});

/** The prod stage packaged for cn-north-1 with a throughput cap, once, for the tests that read it. */
let chinaOutputDir: string | undefined;
const packageChina = async (): Promise<string> => {
  if (chinaOutputDir !== undefined) return chinaOutputDir;
  const { run, outputDir } = await packageStage([
    '--stage',
    'prod',
    ...PROD_SETTINGS,
    '--param',
    'region=cn-north-1',
    '--param',
    'tableMaxReadRequestUnits=4000',
    '--param',
    'tableMaxWriteRequestUnits=2000',
  ]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  chinaOutputDir = outputDir;
  return outputDir;
};

describe('the packaged template in a China region (cn-north-1, with a throughput cap)', () => {
  let china: Template;

  beforeAll(async () => {
    china = readTemplate(await packageChina());
  }, 180_000);

  it("holds the same resources as a commercial region's, and no other name of a partition's own", () => {
    const shape = (template: Template) =>
      Object.entries(template.Resources)
        .map(([name, resource]) => `${name} ${resource.Type} ${resource.DeletionPolicy ?? ''}`)
        .sort();

    expect(shape(china)).toEqual(shape(prod));
    expect(JSON.stringify(china)).not.toContain('arn:aws:');
    expect(JSON.stringify(china.Resources.RedriveLambdaPermissionLogsSubscriptionFilterCloudWatchLog)).toContain(
      'AWS::URLSuffix',
    );
  });

  it("links the dashboard on China's console, and caps the table", () => {
    expect(china.Outputs.DashboardUrl?.Value).toEqual({
      'Fn::Sub': 'https://console.amazonaws.cn/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}',
    });
    expect(china.Resources.EventsTable?.Properties.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: '4000',
      MaxWriteRequestUnits: '2000',
    });
  });
});

describe('cfn-lint', () => {
  it.skipIf(!cfnLintInstalled)(
    'finds no error and no warning in the prod templates of eu-west-1 and of cn-north-1',
    async () => {
      for (const outputDir of [prodOutputDir, await packageChina()]) {
        const template = join(outputDir, 'cloudformation-template-update-stack.json');
        const run = spawnSync('cfn-lint', [template], { encoding: 'utf8' });

        expect(run.stdout + run.stderr, template).toBe('');
        expect(run.status, template).toBe(0);
      }
    },
    180_000,
  );
});

/**
 * AWS as a deploy of stage prod finds it before its first CloudFormation call: no stack, and the table and the
 * webhook's log group either kept from an earlier deploy (`leftBehind`) or not there. Creating the stack is refused.
 */
const startAccountWithoutStack = async ({ leftBehind }: { leftBehind: boolean }) => {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const action = String(request.headers['x-amz-target'] ?? new URLSearchParams(body).get('Action'));
      requests.push(action);
      const answer = (status: number, contentType: string, content: string) => {
        response.writeHead(status, { 'content-type': contentType });
        response.end(content);
      };
      if (action === 'DescribeStacks')
        answer(
          400,
          'text/xml',
          '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ' +
            'tencent-chat-webhooks-prod does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>',
        );
      else if (action === 'DynamoDB_20120810.DescribeTable' && leftBehind)
        answer(200, 'application/x-amz-json-1.0', JSON.stringify({ Table: { TableStatus: 'ACTIVE' } }));
      else if (action === 'DynamoDB_20120810.DescribeTable')
        answer(
          400,
          'application/x-amz-json-1.0',
          JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'none' }),
        );
      else if (action === 'Logs_20140328.DescribeLogGroups') {
        const logGroups = leftBehind ? [{ logGroupName: '/aws/lambda/tencent-chat-webhooks-prod-webhook' }] : [];
        answer(200, 'application/x-amz-json-1.1', JSON.stringify({ logGroups }));
      } else if (action === 'CreateChangeSet' || action === 'CreateStack')
        answer(
          400,
          'text/xml',
          '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>refused by the test' +
            '</Message></Error><RequestId>2</RequestId></ErrorResponse>',
        );
      else answer(500, 'text/plain', '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** `serverless deploy` of the packaged prod stage against such an account, and what it asked of it. */
const deployProdAgainst = (leftBehind: boolean) =>
  withServerlessFolder(async () => {
    const aws = await startAccountWithoutStack({ leftBehind });
    try {
      const run = await serverlessInBackground(
        ['deploy', '--stage', 'prod', ...PROD_SETTINGS, '--package', prodOutputDir],
        {
          AWS_ENDPOINT_URL: aws.endpoint,
          AWS_ACCESS_KEY_ID: 'AKIATEST',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'eu-west-1',
        },
      );
      return { ...run, requests: aws.requests.filter((action) => action !== 'GetCallerIdentity') };
    } finally {
      await aws.close();
      // `deploy --package` copies the package to .serverless/ in the repository, and leaves it there.
      rmSync(join(repositoryRoot, '.serverless'), { recursive: true, force: true });
    }
  });

describe('the first deploy of a stage', () => {
  it('creates the table unprotected (a rollback could not delete it otherwise), to protect it after', async () => {
    const run = await deployProdAgainst(false);

    expect(run.output).toContain(
      'Table tencent-chat-webhooks-prod-events is created without deletion protection; it is turned on once this ' +
        'deploy succeeds',
    );
    // The plugin's questions, then Serverless's own: the deploy goes on to create the stack (by change set).
    expect(run.requests).toEqual([
      'DescribeStacks',
      'Logs_20140328.DescribeLogGroups',
      'DynamoDB_20120810.DescribeTable',
      'DescribeStacks',
      'CreateChangeSet',
    ]);
  }, 180_000);
});

describe('a deploy of a stage whose table and log group an earlier deploy left in the account', () => {
  let run: Awaited<ReturnType<typeof deployProdAgainst>>;

  beforeAll(async () => {
    run = await deployProdAgainst(true);
  }, 180_000);

  it('stops before CloudFormation creates anything, naming both and the commands that import them', () => {
    expect(run.status, run.output).not.toBe(0);
    expect(run.output).toContain('Stage prod cannot be deployed yet');
    expect(run.output).toContain('EventsTable: the table tencent-chat-webhooks-prod-events');
    expect(run.output).toContain('WebhookLogGroup: the log group /aws/lambda/tencent-chat-webhooks-prod-webhook');
    const stack = '--region eu-west-1 --stack-name tencent-chat-webhooks-prod';
    for (const command of [
      `aws cloudformation create-stack ${stack} --template-body file://${prodOutputDir}/` +
        'cloudformation-template-create-stack.json',
      `aws cloudformation create-change-set ${stack} --change-set-name adopt-retained --change-set-type IMPORT ` +
        `--template-body file://${prodOutputDir}/cloudformation-template-adopt-retained.json ` +
        `--resources-to-import file://${prodOutputDir}/resources-to-adopt.json`,
      `aws cloudformation execute-change-set ${stack} --change-set-name adopt-retained`,
      'npx serverless deploy --stage prod',
    ])
      expect(run.output.replace(/\s+/g, ' ')).toContain(command);
    // Asked, and nothing else: no stack created, no artifact uploaded.
    expect(run.requests).toEqual([
      'DescribeStacks',
      'Logs_20140328.DescribeLogGroups',
      'DynamoDB_20120810.DescribeTable',
    ]);
  });

  it('writes the import: the create template plus the two, kept whatever the import does, by their names', () => {
    const adoption = JSON.parse(
      readFileSync(join(prodOutputDir, 'cloudformation-template-adopt-retained.json'), 'utf8'),
    ) as Template;
    const create = readTemplate(prodOutputDir, 'cloudformation-template-create-stack.json');

    expect(Object.keys(adoption.Resources).sort()).toEqual(
      [...Object.keys(create.Resources), 'EventsTable', 'WebhookLogGroup'].sort(),
    );
    for (const name of Object.keys(create.Resources)) expect(adoption.Resources[name]).toEqual(create.Resources[name]);
    for (const name of ['EventsTable', 'WebhookLogGroup']) {
      expect(adoption.Resources[name]?.Properties, name).toEqual(prod.Resources[name]?.Properties);
      expect(adoption.Resources[name], name).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    expect(JSON.parse(readFileSync(join(prodOutputDir, 'resources-to-adopt.json'), 'utf8'))).toEqual([
      {
        ResourceType: 'AWS::Logs::LogGroup',
        LogicalResourceId: 'WebhookLogGroup',
        ResourceIdentifier: { LogGroupName: '/aws/lambda/tencent-chat-webhooks-prod-webhook' },
      },
      {
        ResourceType: 'AWS::DynamoDB::Table',
        LogicalResourceId: 'EventsTable',
        ResourceIdentifier: { TableName: 'tencent-chat-webhooks-prod-events' },
      },
    ]);
  });

  it.skipIf(!cfnLintInstalled)(
    'writes an import template that cfn-lint finds nothing in',
    () => {
      const run = spawnSync('cfn-lint', [join(prodOutputDir, 'cloudformation-template-adopt-retained.json')], {
        encoding: 'utf8',
      });

      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
    120_000,
  );
});

/**
 * webhook.cjs out of the prod zip, required by a fresh Node as Lambda does, with only `environment`: its answer and
 * log.
 */
const invokePackagedWebhook = async (environment: Record<string, string>, event: unknown) => {
  const bundlePath = join(prodOutputDir, 'webhook.cjs');
  writeFileSync(bundlePath, readZipEntry(readFileSync(join(prodOutputDir, 'webhook.zip')), 'functions/webhook.cjs'));
  const invokeOnce =
    'require(process.argv[1]).handler(JSON.parse(process.argv[2]), { awsRequestId: "t", ' +
    'getRemainingTimeInMillis: () => 3000 })' +
    '.then((response) => require("node:fs").writeSync(3, JSON.stringify(response)))';
  const child = spawn(process.execPath, ['-e', invokeOnce, bundlePath, JSON.stringify(event)], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let log = '';
  let answer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    answer += chunk.toString();
  });
  await new Promise((resolve) => child.once('close', resolve));
  const response = JSON.parse(answer) as { statusCode: number; body: string };
  return {
    statusCode: response.statusCode,
    errorCode: (JSON.parse(response.body) as { ErrorCode: number }).ErrorCode,
    log,
  };
};

describe("the packaged webhook, run with the template's own settings", () => {
  /** The packaged webhook with local credentials and a silent log: only its answer. */
  const runPackagedWebhook = async (environment: Record<string, string>, event: unknown) => {
    const { statusCode, errorCode } = await invokePackagedWebhook(
      { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ...environment, LOG_LEVEL: 'SILENT' },
      event,
    );
    return { statusCode, errorCode };
  };
  const templateEnvironment = () =>
    prod.Resources.WebhookLambdaFunction?.Properties.Environment.Variables as Record<string, string>;
  const prodEvent = (query: Record<string, string> = {}) =>
    tencentEvent({ query: { SdkAppid: '1400123456', ...query } });

  it('refuses an unsigned callback, and accepts the token from its SSM parameter', async () => {
    const ssm = await startSsmStandIn();
    ssm.parameters.set('/chat/prod/callback-token', TEST_TOKEN);
    try {
      const environment = { ...templateEnvironment(), AWS_ENDPOINT_URL_SSM: ssm.endpoint };
      const unsigned = await runPackagedWebhook(environment, prodEvent());
      const forged = await runPackagedWebhook(environment, prodEvent(signedQuery(Date.now(), 'another-token')));

      expect(unsigned).toEqual({ statusCode: 401, errorCode: 40102 });
      expect(forged).toEqual({ statusCode: 403, errorCode: 40303 });
      expect(ssm.requests).toEqual([
        { Name: '/chat/prod/callback-token', WithDecryption: true },
        { Name: '/chat/prod/callback-token', WithDecryption: true },
      ]);
    } finally {
      await ssm.close();
    }
  }, 30_000);

  it('refuses every callback with 500 / 50004 when the parameter cannot be read, and with 50002 with no token ' +
    'source at all', async () => {
    const ssm = await startSsmStandIn();
    try {
      const unreadable = await runPackagedWebhook(
        { ...templateEnvironment(), AWS_ENDPOINT_URL_SSM: ssm.endpoint },
        prodEvent(signedQuery(Date.now())),
      );
      const { CALLBACK_TOKEN_PARAMETER: _name, ...withoutTokenSource } = templateEnvironment();
      const unconfigured = await runPackagedWebhook(withoutTokenSource, prodEvent());

      expect(unreadable).toEqual({ statusCode: 500, errorCode: 50004 });
      expect(unconfigured).toEqual({ statusCode: 500, errorCode: 50002 });
    } finally {
      await ssm.close();
    }
  }, 30_000);
});

describe('the packaged bundles', () => {
  it('are exactly what esbuild builds from scripts/deploy/bundleOptions.ts (what the bench builds ' +
    'its baseline from)', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'bundle-options-'));
    outputDirs.push(outdir);
    try {
      await build({
        ...deployedBuildOptions,
        absWorkingDir: repositoryRoot,
        outdir,
        outExtension: { '.js': BUNDLE_EXTENSION },
        logLevel: 'silent',
        entryPoints: ['functions/webhook.ts'],
      });
    } finally {
      // esbuild's service process would otherwise live as long as this test file's.
      await stopEsbuildService();
    }

    const packaged = readZipEntry(readFileSync(join(prodOutputDir, 'webhook.zip')), 'functions/webhook.cjs');
    expect(packaged.equals(readFileSync(join(outdir, 'webhook.cjs')))).toBe(true);
  }, 30_000);
});

describe("the packaged webhook's AWS credentials: the environment Lambda provides, nothing else", () => {
  const LAMBDA_CREDENTIALS: TestCredentials = {
    accessKeyId: 'ASIAPACKAGEDTEST',
    secretAccessKey: 'packaged-test-secret',
    sessionToken: 'packaged-test-session-token',
  };
  const credentialVariables = {
    AWS_ACCESS_KEY_ID: LAMBDA_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LAMBDA_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: LAMBDA_CREDENTIALS.sessionToken,
  };

  const withAws = async (run: (aws: SignatureCheckingAws, environment: Record<string, string>) => Promise<void>) => {
    const aws = await startSignatureCheckingAws(LAMBDA_CREDENTIALS, TEST_TOKEN);
    const templateVariables = prod.Resources.WebhookLambdaFunction?.Properties.Environment.Variables as Record<
      string,
      string
    >;
    try {
      await run(aws, {
        ...templateVariables,
        TABLE_NAME: 'events',
        AWS_ENDPOINT_URL_SSM: aws.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: aws.endpoint,
        LOG_LEVEL: 'WARN',
      });
    } finally {
      await aws.close();
    }
  };
  const signedProdEvent = () => tencentEvent({ query: { SdkAppid: '1400123456', ...signedQuery(Date.now()) } });

  it('signs the token read and the event write with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ' +
    'AWS_SESSION_TOKEN', async () => {
    await withAws(async (aws, environment) => {
      const answer = await invokePackagedWebhook({ ...environment, ...credentialVariables }, signedProdEvent());

      expect(answer, answer.log).toMatchObject({ statusCode: 200, errorCode: 0 });
      expect(aws.requests).toEqual([
        {
          target: 'AmazonSSM.GetParameter',
          service: 'ssm',
          accessKeyId: LAMBDA_CREDENTIALS.accessKeyId,
          securityToken: LAMBDA_CREDENTIALS.sessionToken,
          signatureValid: true,
        },
        {
          target: 'DynamoDB_20120810.PutItem',
          service: 'dynamodb',
          accessKeyId: LAMBDA_CREDENTIALS.accessKeyId,
          securityToken: LAMBDA_CREDENTIALS.sessionToken,
          signatureValid: true,
        },
      ]);
    });
  }, 30_000);

  it('fails closed without them: nothing is sent unsigned, the callback is refused and the log names the ' +
    'missing variables', async () => {
    await withAws(async (aws, environment) => {
      // A profile and a config file are what the SDK's default chain would fall back to; the deployed bundle must not.
      const answer = await invokePackagedWebhook(
        { ...environment, AWS_PROFILE: 'default', AWS_CONFIG_FILE: '/nonexistent' },
        signedProdEvent(),
      );

      expect(answer.statusCode).toBe(500);
      expect(answer.log).toContain('EnvironmentCredentialsMissingError');
      expect(answer.log).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set');
      expect(aws.requests).toEqual([]);
    });
  }, 30_000);
});

// Each package may wait its turn behind another test file's (tests/support/serverlessPackage.ts).
describe('stages and parameters', () => {
  it('refuses to package a real stage without its required settings, naming each', async () => {
    const { run } = await packageStage(['--stage', 'staging']);
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    expect(output).toContain('sdkAppId: required for stage staging');
    expect(output).toContain('region: required for stage staging');
    expect(output).toContain('callbackTokenParameter: required for stage staging');
  }, 180_000);

  it('refuses a plaintext token, or a CloudFormation reference that would put it in the environment', async () => {
    const { run } = await packageStage([
      '--stage',
      'prod',
      ...PROD_SETTINGS,
      '--param',
      'callbackToken=secret-token',
      '--param',
      'callbackTokenNext={{resolve:ssm:/chat/callback-token-next}}',
    ]);
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    expect(output).toContain('callbackToken: a token given at package time');
    expect(output).toContain('callbackTokenNext: a token given at package time');
  }, 180_000);

  it('refuses every malformed setting, naming it', async () => {
    const bad = {
      maxClockSkewSeconds: 'abc',
      eventRetentionDays: '0',
      logLevel: 'LOUD',
      throttleRateLimit: '0',
      throttleBurstLimit: 'many',
      webhookReservedConcurrency: '-1',
      tableMaxWriteRequestUnits: '1.5',
      alarmEmail: 'ops',
      allowUnsignedCallbacks: 'yes',
      callbackTokenParameter: 'no-leading-slash',
    };
    const { run } = await packageStage([
      '--stage',
      'prod',
      ...PROD_SETTINGS,
      ...Object.entries(bad).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
    ]);
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    for (const [name, value] of Object.entries(bad))
      expect(output, name).toMatch(new RegExp(`${name}: .*"${value}"`, 'i'));
  }, 180_000);

  it('takes the freshness window, retention, log level, limits and alarm address from parameters', async () => {
    const { run, outputDir } = await packageStage([
      '--stage',
      'prod',
      ...PROD_SETTINGS,
      '--param',
      'maxClockSkewSeconds=120',
      '--param',
      'eventRetentionDays=90',
      '--param',
      'logLevel=WARN',
      '--param',
      'throttleRateLimit=200',
      '--param',
      'throttleBurstLimit=400',
      '--param',
      'webhookReservedConcurrency=50',
      '--param',
      'tableMaxReadRequestUnits=2000',
      '--param',
      'tableMaxWriteRequestUnits=1000',
      '--param',
      'alarmEmail=ops@example.com',
      '--param',
      'api4xxAlarmPercent=10',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const template = readTemplate(outputDir);
    const webhook = template.Resources.WebhookLambdaFunction;
    expect(webhook?.Properties.Environment.Variables).toMatchObject({
      CALLBACK_MAX_SKEW_SECONDS: '120',
      EVENT_RETENTION_DAYS: '90',
      LOG_LEVEL: 'WARN',
    });
    expect(webhook?.Properties.ReservedConcurrentExecutions).toBe('50');
    expect(template.Conditions).toBeUndefined();
    // Strings from --param: CloudFormation reads them as numbers, as it does a Ref to a Number parameter.
    expect(template.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: '200',
      ThrottlingBurstLimit: '400',
    });
    expect(template.Resources.EventsTable?.Properties.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: '2000',
      MaxWriteRequestUnits: '1000',
    });
    expect(template.Resources.AlarmEmailSubscription?.Properties).toEqual({
      TopicArn: { Ref: 'AlarmTopic' },
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(template.Resources.ApiClientErrorsAlarm?.Properties.Threshold).toBe('10');
  }, 180_000);

  it('packages a stage allowed to run unsigned, with a warning', async () => {
    const { run, outputDir } = await packageStage([
      '--stage',
      'dev',
      '--param',
      'sdkAppId=1400123456',
      '--param',
      'region=eu-west-1',
      '--param',
      'allowUnsignedCallbacks=true',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain(
      'allowUnsignedCallbacks=true: stage dev accepts callbacks without a Sign',
    );
    expect(
      readTemplate(outputDir).Resources.WebhookLambdaFunction?.Properties.Environment.Variables
        .ALLOW_UNSIGNED_CALLBACKS,
    ).toBe('true');
  }, 180_000);

  it('refuses to deploy or package the local stage (no --stage) before any request reaches AWS', async () => {
    const requests: string[] = [];
    const aws: Server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
    try {
      const awsEnv = {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'AKIATEST',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-west-1',
      };
      for (const command of [['deploy'], ['deploy', '--stage', 'local'], ['package']]) {
        const run = await serverlessInBackground(command, awsEnv);
        expect(run.status, command.join(' ')).not.toBe(0);
        expect(run.output, command.join(' ')).toContain(`serverless ${command[0]} --stage prod`);
      }
      expect(requests).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => aws.close(() => resolve()));
    }
  }, 180_000);

  it("gives the local stage the sample events' SdkAppid, the local table name, the shell's LOG_LEVEL and no " +
    'token source', () => {
    const run = serverless(['print', '--format', 'json'], { LOG_LEVEL: 'WARN' });
    expect(run.status, run.stderr).toBe(0);
    const config = JSON.parse(run.stdout) as {
      functions: { webhook: { environment: Record<string, string> } };
      provider: Record<string, TemplateJson>;
    };
    expect(config.functions.webhook.environment).toMatchObject({
      SDK_APP_ID: LOCAL_SDK_APP_ID,
      CALLBACK_TOKEN_PARAMETER: '',
      ALLOW_UNSIGNED_CALLBACKS: '',
      GROUP_STATE_UPDATES: 'inline',
    });
    // The shell's LOG_LEVEL reaches the functions under npm start.
    expect(config.provider.environment).toMatchObject({
      TABLE_NAME: 'tencent-chat-webhooks-local-events',
      LOG_LEVEL: 'WARN',
    });
    // Locally a request may wait behind a burst of others on the one local DynamoDB.
    expect(config.provider.timeout).toBe(30);
    const samples = readdirSync(join(repositoryRoot, 'events')).filter((file) => !file.startsWith('rejected-'));
    for (const file of samples) {
      const event = JSON.parse(readFileSync(join(repositoryRoot, 'events', file), 'utf8'));
      expect(event.queryStringParameters.SdkAppid, file).toBe(LOCAL_SDK_APP_ID);
    }
  }, 180_000);
});

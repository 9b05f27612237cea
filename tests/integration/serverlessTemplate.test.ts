import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
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
  type SignatureCheckingAws,
  startSignatureCheckingAws,
  type TestCredentials,
} from '../support/signatureCheckingAws.js';
import { signedQuery, TEST_TOKEN, tencentEvent } from '../support/tencentRequest.js';

/** `serverless package` runs offline: these tests read the CloudFormation it would deploy. */

/** What every deployed stage needs; the tests add or override one setting at a time. */
const PROD_SETTINGS = [
  '--param',
  'sdkAppId=1400123456',
  '--param',
  'region=eu-west-1',
  '--param',
  'callbackTokenParameter=/chat/prod/callback-token',
];
const FUNCTION_NAMES = [
  'GroupStateLambdaFunction',
  'GroupsLambdaFunction',
  'RedriveLambdaFunction',
  'WebhookLambdaFunction',
];

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

const packageStage = (args: string[]) => {
  const outputDir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  outputDirs.push(outputDir);
  return { run: serverless(['package', '--package', outputDir, ...args]), outputDir };
};

const readTemplate = (outputDir: string): Template =>
  JSON.parse(readFileSync(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;

const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

let prod: Template;
let prodOutputDir: string;

beforeAll(() => {
  const { run, outputDir } = packageStage(['--stage', 'prod', ...PROD_SETTINGS]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  prod = readTemplate(outputDir);
  prodOutputDir = outputDir;
}, 120_000);

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
      });
      // Only a stuck function reaches it: the store gives up after 1 s, inside Tencent's 2 s.
      expect(webhook?.Properties.Timeout).toBe(3);
      // The CPU share of 1,024 MB keeps a cold start well inside Tencent's 2 s; the others are not on its clock.
      expect(Object.fromEntries(FUNCTION_NAMES.map((name) => [name, functions[name]?.Properties.MemorySize]))).toEqual({
        GroupStateLambdaFunction: 512,
        GroupsLambdaFunction: 512,
        RedriveLambdaFunction: 512,
        WebhookLambdaFunction: 1024,
      });
      // The other functions see the table's name only: never the callback token.
      for (const name of ['GroupStateLambdaFunction', 'GroupsLambdaFunction']) {
        expect(functions[name]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
        expect(functions[name]?.Properties.Timeout, name).toBe(name === 'GroupStateLambdaFunction' ? 60 : 3);
        expect(functions[name]?.Properties.Environment.Variables, name).toEqual({
          TABLE_NAME: 'tencent-chat-webhooks-prod-events',
          LOG_LEVEL: 'INFO',
        });
      }
      // No reserved concurrency unless asked for; no version kept per deploy.
      expect(webhook?.Properties.ReservedConcurrentExecutions).toEqual({
        'Fn::If': ['HasWebhookReservedConcurrency', '', { Ref: 'AWS::NoValue' }],
      });
      expect(resourcesOfType(prod, 'AWS::Lambda::Version')).toEqual([]);
    },
  );

  it("lets the webhook read the token's SSM parameter, and nothing else in SSM", () => {
    const statements = prod.Resources.WebhookRole?.Properties.Policies[0].PolicyDocument.Statement;
    const ssm = statements.find((statement: TemplateJson) => statement['Fn::If']?.[0] === 'HasCallbackTokenParameter')[
      'Fn::If'
    ][1];
    expect(ssm.Action).toBe('ssm:GetParameter');
    expect(JSON.stringify(ssm.Resource)).toContain(':parameter/chat/prod/callback-token');
    expect(JSON.stringify(ssm.Resource)).toContain('AWS::Partition');
  });

  it('ships each function in its own zip holding its own bundle only, AWS SDK included, and no node_modules', () => {
    const artifacts = readdirSync(prodOutputDir).filter((file) => file.endsWith('.zip'));
    expect(artifacts.sort()).toEqual(['groupState.zip', 'groups.zip', 'redrive.zip', 'webhook.zip']);
    for (const name of ['webhook', 'groupState', 'groups', 'redrive']) {
      // Entry names are stored uncompressed in a zip, so they can be read from the bytes.
      const zip = readFileSync(join(prodOutputDir, `${name}.zip`)).toString('latin1');
      const bundles = ['webhook', 'groupState', 'groups', 'redrive'].filter((entry) =>
        zip.includes(`functions/${entry}.cjs`),
      );
      expect(bundles, name).toEqual([name]);
      expect(zip).not.toContain('node_modules/');
      expect(zip).not.toContain('.map');
    }
  });

  it(
    "keeps the table and the webhook's log when the stack is removed or the table replaced, and " +
      'protects the table',
    () => {
      const table = prod.Resources.EventsTable;
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(table?.Properties.DeletionProtectionEnabled).toBe(true);
      expect(prod.Resources.WebhookLogGroup).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      // No throughput cap unless asked for.
      expect(prod.Conditions.HasTableThroughputCap).toEqual({
        'Fn::Or': [{ Condition: 'HasTableMaxRead' }, { Condition: 'HasTableMaxWrite' }],
      });
      expect(prod.Conditions.HasTableMaxRead).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    },
  );

  it('throttles the HTTP API stage by default', () => {
    expect(prod.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
    });
  });

  it(
    'counts each webhook outcome from the log line and alarms on failures, errors, throttles, lag and queued ' +
      'failures',
    () => {
      const [[, filter] = []] = resourcesOfType(prod, 'AWS::Logs::MetricFilter');
      expect(filter?.Properties).toMatchObject({
        LogGroupName: { Ref: 'WebhookLogGroup' },
        FilterPattern: '{ $.message = "webhook" && $.outcome = * }',
        MetricTransformations: [
          {
            MetricNamespace: 'TencentChatWebhooks/prod',
            MetricName: 'Webhooks',
            MetricValue: '1',
            Dimensions: [{ Key: 'Outcome', Value: '$.outcome' }],
          },
        ],
      });
      const alarms = Object.fromEntries(
        resourcesOfType(prod, 'AWS::CloudWatch::Alarm').map(([name, alarm]) => [
          name,
          [
            alarm.Properties.Namespace,
            alarm.Properties.MetricName,
            JSON.stringify(alarm.Properties.Dimensions[0].Value),
          ],
        ]),
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
        RedriveErrorsAlarm: ['AWS/Lambda', 'Errors', '{"Ref":"RedriveLambdaFunction"}'],
        RedriveFailuresQueueAlarm: [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          '{"Fn::GetAtt":["RedriveFailuresQueue","QueueName"]}',
        ],
      });
      for (const [name, alarm] of resourcesOfType(prod, 'AWS::CloudWatch::Alarm')) {
        expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: 'AlarmTopic' }]);
        expect(alarm.Properties.TreatMissingData, name).toBe('notBreaching');
      }
      expect(prod.Resources.GroupStateIteratorAgeAlarm?.Properties.Threshold).toBe('300000');
      expect(prod.Resources.AlarmEmailSubscription?.Condition).toBe('HasAlarmEmail');
    },
  );

  it('builds the URLs with AWS::URLSuffix (China regions end in .amazonaws.com.cn)', () => {
    for (const output of ['WebhookUrl', 'GroupsUrl']) {
      const value = JSON.stringify(prod.Outputs[output]?.Value);
      expect(value, output).toContain('AWS::URLSuffix');
      expect(value, output).not.toContain('amazonaws.com');
    }
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
      const mappings = resourcesOfType(prod, 'AWS::Lambda::EventSourceMapping');
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
    expect(grants(roleOf('RedriveLambdaFunction'), 'ssm:')).toEqual([]);
    expect(grants(roleOf('GroupStateLambdaFunction'), 'dynamodb:')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], resource: table },
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
    for (const name of ['WebhookLambdaFunction', 'GroupStateLambdaFunction', 'GroupsLambdaFunction']) {
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
          [statement.Action].flat().some((action: string) => /^(dynamodb|sqs):/.test(action) || action === '*'),
      );
    expect(wildcard).toEqual([]);
  });
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
    await build({
      ...deployedBuildOptions,
      absWorkingDir: repositoryRoot,
      outdir,
      outExtension: { '.js': BUNDLE_EXTENSION },
      logLevel: 'silent',
      entryPoints: ['functions/webhook.ts'],
    });

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

describe('stages and parameters', () => {
  it('refuses to package a real stage without its required settings, naming each', () => {
    const { run } = packageStage(['--stage', 'staging']);
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    expect(output).toContain('sdkAppId: required for stage staging');
    expect(output).toContain('region: required for stage staging');
    expect(output).toContain('callbackTokenParameter: required for stage staging');
  }, 60_000);

  it('refuses a plaintext token, or a CloudFormation reference that would put it in the environment', () => {
    const { run } = packageStage([
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
  }, 60_000);

  it('refuses every malformed setting, naming it', () => {
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
    const { run } = packageStage([
      '--stage',
      'prod',
      ...PROD_SETTINGS,
      ...Object.entries(bad).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
    ]);
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    for (const [name, value] of Object.entries(bad))
      expect(output, name).toMatch(new RegExp(`${name}: .*"${value}"`, 'i'));
  }, 60_000);

  it('takes the freshness window, retention, log level, limits and alarm address from parameters', () => {
    const { run, outputDir } = packageStage([
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
      'tableMaxWriteRequestUnits=1000',
      '--param',
      'alarmEmail=ops@example.com',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const template = readTemplate(outputDir);
    const webhook = template.Resources.WebhookLambdaFunction;
    expect(webhook?.Properties.Environment.Variables).toMatchObject({
      CALLBACK_MAX_SKEW_SECONDS: '120',
      EVENT_RETENTION_DAYS: '90',
      LOG_LEVEL: 'WARN',
    });
    expect(webhook?.Properties.ReservedConcurrentExecutions['Fn::If'][1]).toBe('50');
    expect(template.Conditions.HasWebhookReservedConcurrency).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['50', ''] }] });
    // Strings from --param: CloudFormation reads them as numbers, as it does a Ref to a Number parameter.
    expect(template.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: '200',
      ThrottlingBurstLimit: '400',
    });
    expect(template.Conditions.HasTableMaxWrite).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['1000', ''] }] });
    expect(template.Resources.EventsTable?.Properties.OnDemandThroughput['Fn::If'][1].MaxWriteRequestUnits).toEqual({
      'Fn::If': ['HasTableMaxWrite', '1000', -1],
    });
    expect(template.Resources.AlarmEmailSubscription?.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  }, 60_000);

  it('packages a stage allowed to run unsigned, with a warning', () => {
    const { run, outputDir } = packageStage([
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
  }, 60_000);

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
  }, 60_000);

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
  }, 60_000);
});

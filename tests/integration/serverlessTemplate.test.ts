import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KEY_MEMORY } from '../../lib/groupState/merge.js';
import streamEventSource from '../../lib/groupState/streamEventSource.json' with { type: 'json' };
import { eventsTableDefinition } from '../../scripts/local/eventsTable.js';
import { LOCAL_SDK_APP_ID, repositoryRoot, serverlessCli } from '../../scripts/local/localSettings.js';
import { envWithoutReceiverSettings } from '../support/childEnv.js';

/** `serverless package` runs offline: these tests read the CloudFormation it would deploy. */
interface Resource {
  Type: string;
  Properties: Record<string, any>;
}
interface Template {
  Resources: Record<string, Resource>;
}

const outputDirs: string[] = [];

const packageStage = (args: string[]) => {
  const outputDir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  outputDirs.push(outputDir);
  const run = spawnSync(process.execPath, [serverlessCli, 'package', '--package', outputDir, ...args], {
    cwd: repositoryRoot,
    env: envWithoutReceiverSettings(),
    encoding: 'utf8',
  });
  return { run, outputDir };
};

const readTemplate = (outputDir: string): Template =>
  JSON.parse(readFileSync(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;

const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

let prod: Template;
let prodOutputDir: string;

beforeAll(() => {
  const { run, outputDir } = packageStage(['--stage', 'prod', '--param', 'sdkAppId=1400123456']);
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
      resourcesOfType(prod, 'AWS::ApiGatewayV2::Integration').map(([name, integration]) => [name, integration.Properties]),
    );
    for (const [key, , target] of routes) {
      const integrationName = key === 'POST /webhook' ? 'HttpApiIntegrationWebhook' : 'HttpApiIntegrationGroups';
      expect(target, key).toContain(integrationName);
      expect(integrations[integrationName]?.PayloadFormatVersion).toBe('2.0');
    }
    expect(JSON.stringify(integrations.HttpApiIntegrationWebhook?.IntegrationUri)).toContain('WebhookLambdaFunction');
    expect(JSON.stringify(integrations.HttpApiIntegrationGroups?.IntegrationUri)).toContain('GroupsLambdaFunction');
  });

  it('runs the function on nodejs22.x, arm64, with settings from deploy-time parameters', () => {
    const functions = Object.fromEntries(resourcesOfType(prod, 'AWS::Lambda::Function'));
    expect(Object.keys(functions).sort()).toEqual(['GroupStateLambdaFunction', 'GroupsLambdaFunction', 'WebhookLambdaFunction']);
    const webhook = functions.WebhookLambdaFunction;
    expect(webhook?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'functions/webhook.handler',
      FunctionName: 'tencent-chat-webhooks-prod-webhook',
    });
    expect(webhook?.Properties.Environment.Variables).toEqual({
      SDK_APP_ID: '1400123456',
      CALLBACK_TOKEN: '',
      CALLBACK_TOKEN_NEXT: '',
      CALLBACK_MAX_SKEW_SECONDS: '',
      EVENT_RETENTION_DAYS: '',
      TABLE_NAME: 'tencent-chat-webhooks-prod-events',
      GROUP_STATE_UPDATES: 'stream',
    });
    // Only a stuck function reaches it: the store gives up after 1 s, inside Tencent's 2 s.
    expect(webhook?.Properties.Timeout).toBe(3);
    // The other functions see the table's name only: never the callback token.
    for (const name of ['GroupStateLambdaFunction', 'GroupsLambdaFunction']) {
      expect(functions[name]?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(functions[name]?.Properties.Timeout, name).toBe(name === 'GroupStateLambdaFunction' ? 60 : 3);
      expect(functions[name]?.Properties.Environment.Variables, name).toEqual({ TABLE_NAME: 'tencent-chat-webhooks-prod-events' });
    }
  });

  it('ships one bundled file, AWS SDK included, and no node_modules', () => {
    const artifacts = readdirSync(prodOutputDir).filter((file) => file.endsWith('.zip'));
    expect(artifacts).toEqual(['tencent-chat-webhooks.zip']);
    // Entry names are stored uncompressed in a zip, so they can be read from the bytes.
    const zip = readFileSync(join(prodOutputDir, 'tencent-chat-webhooks.zip')).toString('latin1');
    expect(zip).toContain('functions/webhook.cjs');
    expect(zip).toContain('functions/groupState.cjs');
    expect(zip).toContain('functions/groups.cjs');
    expect(zip).not.toContain('node_modules/');
    expect(zip).not.toContain('.map');
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

  it('feeds the groupState function from the stream: new event items only, partial batch failures, bounded retries, a failure queue', () => {
    const mappings = resourcesOfType(prod, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] ?? [];
    expect(mapping?.Properties).toEqual({
      BatchSize: 50,
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
      StartingPosition: streamEventSource.startingPosition,
      MaximumRetryAttempts: streamEventSource.maximumRetryAttempts,
      FunctionResponseTypes: [streamEventSource.functionResponseType],
    });
    expect(JSON.parse(mapping?.Properties.FilterCriteria.Filters[0].Pattern)).toEqual(streamEventSource.filterPatterns[0]);
  });

  it('gives each function a role with only what it needs, on the events table and its stream, never on *', () => {
    const statementsOf = (role: Resource | undefined) =>
      (role?.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement);
    const roleOf = (functionName: string) => {
      const reference = prod.Resources[functionName]?.Properties.Role['Fn::GetAtt'][0];
      return statementsOf(prod.Resources[reference]);
    };
    const grants = (statements: any[], prefix: string) =>
      statements
        .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith(prefix)))
        .map((statement) => ({ actions: [statement.Action].flat().sort(), resource: statement.Resource }));
    const table = { 'Fn::GetAtt': ['EventsTable', 'Arn'] };
    const stream = { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] };

    expect(grants(roleOf('WebhookLambdaFunction'), 'dynamodb:')).toEqual([{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resource: table }]);
    expect(grants(roleOf('WebhookLambdaFunction'), 'sqs:')).toEqual([]);
    expect(grants(roleOf('GroupStateLambdaFunction'), 'dynamodb:')).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], resource: table },
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        resource: stream,
      },
    ]);
    expect(grants(roleOf('GroupStateLambdaFunction'), 'sqs:')).toEqual([
      { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': ['GroupStateFailuresQueue', 'Arn'] } },
    ]);
    expect(grants(roleOf('GroupsLambdaFunction'), 'dynamodb:')).toEqual([{ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: table }]);
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
        (statement: any) =>
          [statement.Resource].flat().includes('*') &&
          [statement.Action].flat().some((action: string) => /^(dynamodb|sqs):/.test(action) || action === '*'),
      );
    expect(wildcard).toEqual([]);
  });
});

describe('stages and parameters', () => {
  it('refuses to package a real stage without sdkAppId', () => {
    const { run } = packageStage(['--stage', 'staging']);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('SDK_APP_ID');
  }, 60_000);

  it('takes the tokens, the freshness window and the retention from parameters, SSM references left to CloudFormation', () => {
    const { run, outputDir } = packageStage([
      '--stage',
      'prod',
      '--param',
      'sdkAppId=1400123456',
      '--param',
      'callbackToken={{resolve:ssm:/chat/callback-token}}',
      '--param',
      'callbackTokenNext={{resolve:ssm:/chat/callback-token-next}}',
      '--param',
      'maxClockSkewSeconds=120',
      '--param',
      'eventRetentionDays=90',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const webhook = readTemplate(outputDir).Resources.WebhookLambdaFunction;
    expect(webhook?.Properties.Environment.Variables).toMatchObject({
      CALLBACK_TOKEN: '{{resolve:ssm:/chat/callback-token}}',
      CALLBACK_TOKEN_NEXT: '{{resolve:ssm:/chat/callback-token-next}}',
      CALLBACK_MAX_SKEW_SECONDS: '120',
      EVENT_RETENTION_DAYS: '90',
    });
  }, 60_000);

  it('gives the local stage the sample events\' SdkAppid and the local table name', () => {
    const { run, outputDir } = packageStage([]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const webhook = readTemplate(outputDir).Resources.WebhookLambdaFunction;
    expect(webhook?.Properties.Environment.Variables).toMatchObject({
      SDK_APP_ID: LOCAL_SDK_APP_ID,
      TABLE_NAME: 'tencent-chat-webhooks-local-events',
      GROUP_STATE_UPDATES: 'inline',
    });
    // serverless-offline counts a new worker's module load against the timeout.
    expect(webhook?.Properties.Timeout).toBe(30);
    const samples = readdirSync(join(repositoryRoot, 'events')).filter((file) => !file.startsWith('rejected-'));
    for (const file of samples) {
      const event = JSON.parse(readFileSync(join(repositoryRoot, 'events', file), 'utf8'));
      expect(event.queryStringParameters.SdkAppid, file).toBe(LOCAL_SDK_APP_ID);
    }
  }, 60_000);
});

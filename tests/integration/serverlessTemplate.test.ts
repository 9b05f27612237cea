import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTableDefinition } from '../../scripts/eventsTable.js';
import { LOCAL_SDK_APP_ID, repositoryRoot, serverlessCli } from '../../scripts/localSettings.js';
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
  it('routes POST /webhook on an HTTP API to the webhook function', () => {
    const routes = resourcesOfType(prod, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routes).toEqual(['POST /webhook']);
    const [, integration] = resourcesOfType(prod, 'AWS::ApiGatewayV2::Integration')[0] ?? [];
    expect(integration?.Properties.PayloadFormatVersion).toBe('2.0');
    expect(JSON.stringify(integration?.Properties.IntegrationUri)).toContain('WebhookLambdaFunction');
  });

  it('runs the function on nodejs22.x, arm64, with settings from deploy-time parameters', () => {
    const functions = resourcesOfType(prod, 'AWS::Lambda::Function');
    expect(functions.map(([name]) => name)).toEqual(['WebhookLambdaFunction']);
    const [, webhook] = functions[0] ?? [];
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
    });
    // Only a stuck function reaches it: the store gives up after 1 s, inside Tencent's 2 s.
    expect(webhook?.Properties.Timeout).toBe(3);
  });

  it('ships one bundled file, AWS SDK included, and no node_modules', () => {
    const artifacts = readdirSync(prodOutputDir).filter((file) => file.endsWith('.zip'));
    expect(artifacts).toEqual(['tencent-chat-webhooks.zip']);
    // Entry names are stored uncompressed in a zip, so they can be read from the bytes.
    const zip = readFileSync(join(prodOutputDir, 'tencent-chat-webhooks.zip')).toString('latin1');
    expect(zip).toContain('functions/webhook.cjs');
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
    });
  });

  it('grants DynamoDB actions only on the events table, never on *', () => {
    const statements = resourcesOfType(prod, 'AWS::IAM::Role').flatMap(([, role]) =>
      (role.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement),
    );
    const dynamoStatements = statements.filter((statement: any) =>
      [statement.Action].flat().some((action: string) => action.startsWith('dynamodb:')),
    );
    expect(dynamoStatements).toHaveLength(1);
    for (const statement of dynamoStatements) {
      expect([statement.Action].flat().sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
      expect([statement.Resource].flat()).toEqual([{ 'Fn::GetAtt': ['EventsTable', 'Arn'] }]);
    }
    const wildcard = statements.filter(
      (statement: any) =>
        [statement.Resource].flat().includes('*') &&
        [statement.Action].flat().some((action: string) => action.startsWith('dynamodb:') || action === '*'),
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
    const [, webhook] = resourcesOfType(readTemplate(outputDir), 'AWS::Lambda::Function')[0] ?? [];
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
    const [, webhook] = resourcesOfType(readTemplate(outputDir), 'AWS::Lambda::Function')[0] ?? [];
    expect(webhook?.Properties.Environment.Variables).toMatchObject({
      SDK_APP_ID: LOCAL_SDK_APP_ID,
      TABLE_NAME: 'tencent-chat-webhooks-local-events',
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

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../support/cloudFormation.js';
import { DEPLOYED_STAGE_PARAMS, PACKAGE_TIMEOUT_MS, serverlessPackage } from '../support/serverlessPackage.js';

/** The redrive as `serverless package` would deploy it (stage prod), read from the CloudFormation template. */
let outputDir: string;
let resources: Record<string, Resource>;

beforeAll(async () => {
  outputDir = mkdtempSync(join(tmpdir(), 'sls-redrive-'));
  const run = await serverlessPackage(['--package', outputDir, '--stage', 'prod', ...DEPLOYED_STAGE_PARAMS]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  resources = JSON.parse(readFileSync(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, PACKAGE_TIMEOUT_MS);

afterAll(() => {
  rmSync(outputDir, { recursive: true, force: true });
});

const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);

describe('the redrive in the packaged template', () => {
  it("is subscribed to the webhook's failure lines, after the webhook's log group exists", () => {
    const filters = Object.entries(resources).filter(
      ([, resource]) => resource.Type === 'AWS::Logs::SubscriptionFilter',
    );
    expect(filters).toHaveLength(1);
    const [name, filter] = filters[0] as [string, Resource];
    expect(filter.Properties).toEqual({
      LogGroupName: '/aws/lambda/tencent-chat-webhooks-prod-webhook',
      FilterPattern: '{ $.outcome = "failed" }',
      DestinationArn: { 'Fn::GetAtt': ['RedriveLambdaFunction', 'Arn'] },
    });
    expect(filter.DependsOn).toContain('WebhookLogGroup');
    expect(name).toMatch(/^Redrive/);
    const permission = resources.RedriveLambdaPermissionLogsSubscriptionFilterCloudWatchLog;
    expect(permission?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': ['RedriveLambdaFunction', 'Arn'] },
    });
  });

  it('is retried twice, then handed to its own queue', () => {
    expect(ofType('AWS::Lambda::EventInvokeConfig').map((config) => config.Properties)).toEqual([
      {
        FunctionName: { Ref: 'RedriveLambdaFunction' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['RedriveFailuresQueue', 'Arn'] } } },
      },
    ]);
    // Named by CloudFormation (output RedriveFailuresQueueUrl): a deploy retried right after a rollback could not
    // take a name back within SQS's 60 s.
    expect(resources.RedriveFailuresQueue?.Properties).toEqual({ MessageRetentionPeriod: 1209600 });
  });

  it("runs with its own least-privilege role: the seal key and the token's parameter, never the token", () => {
    const redrive = resources.RedriveLambdaFunction;
    expect(redrive?.Properties.Role).toEqual({ 'Fn::GetAtt': ['RedriveRole', 'Arn'] });
    expect(redrive?.Properties.Timeout).toBe(60);
    expect(redrive?.Properties.Environment.Variables).toMatchObject({
      SDK_APP_ID: '1400123456',
      TABLE_NAME: 'tencent-chat-webhooks-prod-events',
    });
    expect(redrive?.Properties.Environment.Variables).toMatchObject({
      CALLBACK_TOKEN_PARAMETER: '/chat/prod/callback-token',
      REPLAY_SEAL_KEY: { 'Fn::Sub': '{{resolve:secretsmanager:${ReplaySealKey}:SecretString}}' },
    });
    expect(Object.keys(redrive?.Properties.Environment.Variables ?? {})).not.toContain('CALLBACK_TOKEN');
    const statements = resources.RedriveRole?.Properties.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['RedriveLogGroup', 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        Resource: { 'Fn::GetAtt': ['EventsTable', 'Arn'] },
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['RedriveFailuresQueue', 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':parameter/chat/prod/callback-token',
            ],
          ],
        },
      },
    ]);
  });
});

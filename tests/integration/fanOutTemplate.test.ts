import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_SOURCE, DetailType } from '../../lib/fanOut/publishedEvent.js';
import publishStreamSource from '../../lib/fanOut/publishStreamSource.json' with { type: 'json' };
import { GroupCommand } from '../../lib/tencent/commands.js';
import { FORWARD_RETRY_POLICY, forwardLogicalIdPrefix, STAGE_HEADER } from '../../scripts/deploy/forwardToResources.js';
import { DEFAULT_FORWARD_RATE_PER_SECOND } from '../../scripts/deploy/forwardToSetting.js';
import type { Resource, Template, TemplateJson } from '../support/cloudFormation.js';
import { DEPLOYED_STAGE_PARAMS, PACKAGE_TIMEOUT_MS, serverlessPackage } from '../support/serverlessPackage.js';

/** The fan-out (the bus, its archive, the publisher, the forwardTo endpoints) as `serverless package` writes it. */

const PROD_SETTINGS = ['--stage', 'prod', ...DEPLOYED_STAGE_PARAMS];
const HOOKS_URL = 'https://hooks.example.com/tencent';
const OTHER_URL = 'https://other.example.org/in';
const HOOK_SECRET = 'chat/prod/hook-key';
const FORWARD_TO = [
  {
    url: HOOKS_URL,
    commands: [GroupCommand.GroupFull, GroupCommand.GroupDestroyed],
    authHeader: 'X-Api-Key',
    authSecret: HOOK_SECRET,
    ratePerSecond: 50,
  },
  { url: OTHER_URL },
];

const outputDirs: string[] = [];
const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';

const packageStage = async (args: string[]) => {
  const outputDir = mkdtempSync(join(tmpdir(), 'sls-fan-out-'));
  outputDirs.push(outputDir);
  const run = await serverlessPackage(['--package', outputDir, ...PROD_SETTINGS, ...args]);
  return { run, outputDir, output: run.stdout + run.stderr };
};

const packaged = async (args: string[]) => {
  const { run, outputDir, output } = await packageStage(args);
  expect(run.status, output).toBe(0);
  return { outputDir, template: JSON.parse(readFileSync(join(outputDir, TEMPLATE_FILE), 'utf8')) as Template };
};

const withForwardTo = (region: string) => [
  '--param',
  `region=${region}`,
  '--param',
  `forwardTo=${JSON.stringify(FORWARD_TO)}`,
  '--param',
  'eventArchiveRetentionDays=90',
  '--param',
  'eventSource=com.example.chat',
];

const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

const statementsOf = (role: Resource | undefined): TemplateJson[] =>
  (role?.Properties.Policies ?? []).flatMap((policy: TemplateJson) => policy.PolicyDocument.Statement);

/** cfn-lint (Python) is on the project's machines, maybe not on a CI runner's: there its test is skipped. */
const cfnLintInstalled = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

let prod: Template;
let forwarding: { outputDir: string; template: Template };
let forwardingInChina: { outputDir: string; template: Template };

beforeAll(async () => {
  prod = (await packaged([])).template;
  forwarding = await packaged(withForwardTo('eu-west-1'));
  forwardingInChina = await packaged(withForwardTo('cn-north-1'));
}, 3 * PACKAGE_TIMEOUT_MS);

afterAll(() => {
  for (const dir of outputDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the bus and its archive (stage prod)', () => {
  it('gives the stage a bus of its own name and archives it for eventArchiveRetentionDays (30 by default)', () => {
    expect(prod.Resources.EventBus?.Properties.Name).toBe('tencent-chat-webhooks-prod');
    expect(prod.Resources.EventArchive?.Properties).toMatchObject({
      ArchiveName: 'tencent-chat-webhooks-prod',
      SourceArn: { 'Fn::GetAtt': ['EventBus', 'Arn'] },
      RetentionDays: 30,
    });
    expect(forwarding.template.Resources.EventArchive?.Properties.RetentionDays).toBe('90');
    expect(prod.Outputs).toMatchObject({
      EventBusName: { Value: { Ref: 'EventBus' } },
      EventBusArn: { Value: { 'Fn::GetAtt': ['EventBus', 'Arn'] } },
      EventArchiveName: { Value: { Ref: 'EventArchive' } },
      EventArchiveArn: { Value: { 'Fn::GetAtt': ['EventArchive', 'Arn'] } },
      UnpublishedEventsQueueUrl: { Value: { Ref: 'UnpublishedEventsQueue' } },
    });
  });
});

describe('the publisher (stage prod)', () => {
  it('runs on nodejs24.x, arm64, 60 s, knowing the bus, the source and the unpublished queue', () => {
    expect(prod.Resources.PublishLambdaFunction?.Properties).toMatchObject({
      Handler: 'functions/publish.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 60,
      Role: { 'Fn::GetAtt': ['PublishRole', 'Arn'] },
    });
    expect(prod.Resources.PublishLambdaFunction?.Properties.Environment.Variables).toEqual({
      TABLE_NAME: 'tencent-chat-webhooks-prod-events',
      LOG_LEVEL: 'INFO',
      EVENT_BUS_NAME: prod.Resources.EventBus?.Properties.Name,
      EVENT_SOURCE: DEFAULT_EVENT_SOURCE,
      UNPUBLISHED_QUEUE_URL: { Ref: 'UnpublishedEventsQueue' },
    });
    expect(prod.Resources.EventBus?.Properties.Name).toBe('tencent-chat-webhooks-prod');
    expect(forwarding.template.Resources.PublishLambdaFunction?.Properties.Environment.Variables.EVENT_SOURCE).toBe(
      'com.example.chat',
    );
  });

  it('reads new event items from the stream as publishStreamSource.json says, failures to the queue', () => {
    const mappings = ofType(prod, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => mapping.Properties.FunctionName['Fn::GetAtt'][0] === 'PublishLambdaFunction',
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] as [string, Resource];

    expect(mapping.Properties).toEqual({
      BatchSize: publishStreamSource.batchSize,
      MaximumBatchingWindowInSeconds: publishStreamSource.maximumBatchingWindowInSeconds,
      Enabled: true,
      EventSourceArn: { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] },
      FunctionName: { 'Fn::GetAtt': ['PublishLambdaFunction', 'Arn'] },
      StartingPosition: publishStreamSource.startingPosition,
      MaximumRetryAttempts: publishStreamSource.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: publishStreamSource.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: publishStreamSource.bisectBatchOnFunctionError,
      FunctionResponseTypes: [publishStreamSource.functionResponseType],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['UnpublishedEventsQueue', 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: expect.any(String) }] },
    });
    // INSERTs of EVENT# items only: never a duplicate delivery (it writes nothing), a time claim or a state write.
    expect(JSON.parse(mapping.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { sk: { S: [{ prefix: 'EVENT#' }] } } },
    });
  });

  it('may put events on that bus only, send to its queue, read the stream and write its log: nothing else', () => {
    const statements = statementsOf(prod.Resources.PublishRole).map((statement) => ({
      actions: [statement.Action].flat().sort(),
      resource: statement.Resource,
    }));

    expect(statements).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: { 'Fn::GetAtt': ['PublishLogGroup', 'Arn'] },
      },
      {
        actions: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        resource: { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] },
      },
      { actions: ['events:PutEvents'], resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] } },
      { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': ['UnpublishedEventsQueue', 'Arn'] } },
    ]);
    // No other role may put events anywhere.
    const putters = ofType(prod, 'AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(statementsOf(role)).includes('events:PutEvents'),
    );
    expect(putters.map(([name]) => name)).toEqual(['PublishRole']);
  });

  it('keeps what it could not publish 14 days, encrypted; alarms on any of it, on its errors and its lag', () => {
    expect(prod.Resources.UnpublishedEventsQueue?.Properties).toEqual({
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
    expect(prod.Resources.UnpublishedEventsQueueAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['UnpublishedEventsQueue', 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(prod.Resources.PublishErrorsAlarm?.Properties).toMatchObject({
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'PublishLambdaFunction' } }],
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    // The same threshold as groupState's lag.
    expect(prod.Resources.PublishIteratorAgeAlarm?.Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'PublishLambdaFunction' } }],
      Threshold: prod.Resources.GroupStateIteratorAgeAlarm?.Properties.Threshold,
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });

  it('holds no forwarding resource while forwardTo is empty', () => {
    for (const type of ['AWS::Events::Rule', 'AWS::Events::ApiDestination', 'AWS::Events::Connection'])
      expect(ofType(prod, type), type).toEqual([]);
  });
});

describe('forwardTo (two endpoints, one with commands and auth)', () => {
  const resourceOf = (url: string, kind: string) =>
    forwarding.template.Resources[`${forwardLogicalIdPrefix(url)}${kind}`];

  it('gives each endpoint a rule, API destination, connection, role, dead-letter queue, its policy and alarm', () => {
    const forwardIds = Object.keys(forwarding.template.Resources).filter((id) => id.startsWith('Forward'));
    const kinds = [
      'ApiDestination',
      'Connection',
      'DeadLetterAlarm',
      'DeadLetterQueue',
      'DeadLetterQueuePolicy',
      'Rule',
      'TargetRole',
    ];
    expect(forwardIds.sort()).toEqual(
      [HOOKS_URL, OTHER_URL].flatMap((url) => kinds.map((kind) => `${forwardLogicalIdPrefix(url)}${kind}`)).sort(),
    );
  });

  it("matches the stage's source on its bus, and each listed command by the detail type the publisher sets", () => {
    const name = `tencent-chat-webhooks-prod-forward-${forwardLogicalIdPrefix(HOOKS_URL).slice(-8)}`;
    for (const kind of ['Rule', 'Connection', 'ApiDestination'])
      expect(resourceOf(HOOKS_URL, kind)?.Properties.Name, kind).toBe(name);
    expect(resourceOf(HOOKS_URL, 'Rule')?.Properties.EventBusName).toEqual({ Ref: 'EventBus' });
    expect(resourceOf(HOOKS_URL, 'Rule')?.Properties.EventPattern).toEqual({
      source: ['com.example.chat'],
      'detail-type': [DetailType[GroupCommand.GroupFull], DetailType[GroupCommand.GroupDestroyed]],
    });
    expect(resourceOf(HOOKS_URL, 'Rule')?.Properties.EventPattern['detail-type']).toEqual([
      'Group full',
      'Group disbanded',
    ]);
    expect(resourceOf(OTHER_URL, 'Rule')?.Properties.EventPattern).toEqual({ source: ['com.example.chat'] });
  });

  it('POSTs to the URL at its rate, retried for a day, then to its own dead-letter queue', () => {
    expect(resourceOf(HOOKS_URL, 'ApiDestination')?.Properties).toEqual({
      ConnectionArn: { 'Fn::GetAtt': [`${forwardLogicalIdPrefix(HOOKS_URL)}Connection`, 'Arn'] },
      Name: `tencent-chat-webhooks-prod-forward-${forwardLogicalIdPrefix(HOOKS_URL).slice(-8)}`,
      InvocationEndpoint: HOOKS_URL,
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 50,
    });
    expect(resourceOf(OTHER_URL, 'ApiDestination')?.Properties.InvocationRateLimitPerSecond).toBe(
      DEFAULT_FORWARD_RATE_PER_SECOND,
    );
    const prefix = forwardLogicalIdPrefix(HOOKS_URL);
    expect(resourceOf(HOOKS_URL, 'Rule')?.Properties.Targets).toEqual([
      {
        Id: 'api-destination',
        Arn: { 'Fn::GetAtt': [`${prefix}ApiDestination`, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [`${prefix}TargetRole`, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [`${prefix}DeadLetterQueue`, 'Arn'] } },
      },
    ]);
    expect(FORWARD_RETRY_POLICY).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
  });

  it('lets the target invoke its own API destination only, and EventBridge send to the queue for its rule only', () => {
    const prefix = forwardLogicalIdPrefix(HOOKS_URL);
    const role = resourceOf(HOOKS_URL, 'TargetRole');
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(statementsOf(role)).toEqual([
      {
        Effect: 'Allow',
        Action: 'events:InvokeApiDestination',
        Resource: { 'Fn::GetAtt': [`${prefix}ApiDestination`, 'Arn'] },
      },
    ]);
    expect(resourceOf(HOOKS_URL, 'DeadLetterQueue')?.Properties).toEqual({
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
    expect(resourceOf(HOOKS_URL, 'DeadLetterQueuePolicy')?.Properties).toEqual({
      Queues: [{ Ref: `${prefix}DeadLetterQueue` }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [`${prefix}DeadLetterQueue`, 'Arn'] },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [`${prefix}Rule`, 'Arn'] } } },
          },
        ],
      },
    });
    expect(resourceOf(HOOKS_URL, 'DeadLetterAlarm')?.Properties).toMatchObject({
      AlarmName: `tencent-chat-webhooks-prod-forward-hooks.example.com-${prefix.slice(-8)}-dead-letters`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [`${prefix}DeadLetterQueue`, 'QueueName'] } }],
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    });
  });

  it("puts the auth secret in the template only as a dynamic reference, the stage's name where there is none", () => {
    expect(resourceOf(HOOKS_URL, 'Connection')?.Properties).toEqual({
      Name: `tencent-chat-webhooks-prod-forward-${forwardLogicalIdPrefix(HOOKS_URL).slice(-8)}`,
      Description: 'Calls hooks.example.com for stage prod',
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'X-Api-Key',
          ApiKeyValue: `{{resolve:secretsmanager:${HOOK_SECRET}:SecretString}}`,
        },
      },
    });
    expect(resourceOf(OTHER_URL, 'Connection')?.Properties.AuthParameters).toEqual({
      ApiKeyAuthParameters: { ApiKeyName: STAGE_HEADER, ApiKeyValue: 'prod' },
    });
    // The secret's name appears nowhere but in its reference.
    const text = readFileSync(join(forwarding.outputDir, TEMPLATE_FILE), 'utf8');
    expect(text.split(HOOK_SECRET)).toHaveLength(2);
  });

  it('shows the dead-letter alarms on the dashboard', () => {
    const body = forwarding.template.Resources.Dashboard?.Properties.DashboardBody['Fn::Sub'];
    for (const url of [HOOKS_URL, OTHER_URL])
      expect(body).toContain(`\${${forwardLogicalIdPrefix(url)}DeadLetterAlarm.Arn}`);
  });

  it('holds the same resources in cn-north-1', () => {
    const shape = (template: Template) =>
      Object.entries(template.Resources)
        .map(([name, resource]) => `${name} ${resource.Type}`)
        .sort();
    expect(shape(forwardingInChina.template)).toEqual(shape(forwarding.template));
    expect(JSON.stringify(forwardingInChina.template)).not.toContain('arn:aws:');
  });
});

describe('cfn-lint', () => {
  it.skipIf(!cfnLintInstalled)(
    'finds nothing in the forwarding prod templates of eu-west-1 and cn-north-1',
    () => {
      for (const { outputDir } of [forwarding, forwardingInChina]) {
        const run = spawnSync('cfn-lint', [join(outputDir, TEMPLATE_FILE)], { encoding: 'utf8' });

        expect(run.stdout + run.stderr, outputDir).toBe('');
        expect(run.status, outputDir).toBe(0);
      }
    },
    120_000,
  );
});

describe('the fan-out settings, checked at package time', () => {
  it(
    'refuses each bad one with one line naming it',
    async () => {
      const badForwardTo = [
        { url: 'http://hooks.example.com/in' },
        { url: HOOKS_URL, commands: ['Group.CallbackAfterNewMemberJoin'], authHeader: 'X-Api-Key', ratePerSecond: 301 },
      ];
      const { run, output } = await packageStage([
        '--param',
        `forwardTo=${JSON.stringify(badForwardTo)}`,
        '--param',
        'eventSource=aws.chat',
        '--param',
        'eventArchiveRetentionDays=0',
      ]);

      expect(run.status).not.toBe(0);
      for (const line of [
        'forwardTo[1].url: must be https',
        'forwardTo[2].commands: "Group.CallbackAfterNewMemberJoin" is not a recorded command',
        'forwardTo[2].authSecret: required with authHeader',
        'forwardTo[2].ratePerSecond: must be a whole number from 1 to 300, not "301"',
        'eventSource: must not start with "aws."',
        'eventArchiveRetentionDays: must be a whole number from 1 to 36500, not "0"',
      ])
        expect(output).toContain(line);
    },
    PACKAGE_TIMEOUT_MS,
  );
});

import { describe, expect, it } from 'vitest';
import type { CloudFormationTemplate } from '../../../scripts/deploy/cloudFormationTemplate.js';
import {
  type AccountLookup,
  adoptionCommands,
  adoptionTemplate,
  leftBehindRefusal,
  type RetainedResource,
  retainedResourcesOf,
  surveyStack,
} from '../../../scripts/deploy/retainedResources.js';

const TEMPLATE: CloudFormationTemplate = {
  Resources: {
    EventsTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: { TableName: 'app-prod-events', BillingMode: 'PAY_PER_REQUEST' },
    },
    WebhookLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Retain',
      DependsOn: ['Other'],
      Properties: { LogGroupName: '/aws/lambda/app-prod-webhook', RetentionInDays: 30 },
    },
    GroupsLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/app-prod-groups' } },
    Queue: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain', Properties: {} },
  },
};

/** An account as a fake: which stack resources exist, and which named resources. */
const fakeAccount = ({ stack, existing }: { stack?: string[]; existing: string[] }) => {
  const asked: string[] = [];
  const lookup: AccountLookup = {
    stackExists: async () => stack !== undefined,
    stackHolds: async (logicalId) => {
      asked.push(`stackHolds ${logicalId}`);
      return stack?.includes(logicalId) ?? false;
    },
    stackTemplate: async () => ({ Resources: {} }),
    exists: async ({ name }) => {
      asked.push(`exists ${name}`);
      return existing.includes(name);
    },
  };
  return { lookup, asked };
};

const LEFT_BEHIND: RetainedResource[] = [
  { logicalId: 'EventsTable', type: 'AWS::DynamoDB::Table', nameProperty: 'TableName', name: 'app-prod-events' },
];

describe('retainedResourcesOf', () => {
  it('names the resources a stack deletion keeps, by the property CloudFormation imports them by', () => {
    expect(retainedResourcesOf(TEMPLATE)).toEqual([
      { logicalId: 'EventsTable', type: 'AWS::DynamoDB::Table', nameProperty: 'TableName', name: 'app-prod-events' },
      {
        logicalId: 'WebhookLogGroup',
        type: 'AWS::Logs::LogGroup',
        nameProperty: 'LogGroupName',
        name: '/aws/lambda/app-prod-webhook',
      },
    ]);
  });
});

describe('surveyStack', () => {
  it('finds what a removed stage left in the account: no stack, the table and the log group still there', async () => {
    const { lookup } = fakeAccount({ existing: ['app-prod-events', '/aws/lambda/app-prod-webhook'] });

    const survey = await surveyStack(TEMPLATE, lookup);

    expect(survey.stackExists).toBe(false);
    expect(survey.leftBehind.map(({ logicalId }) => logicalId)).toEqual(['EventsTable', 'WebhookLogGroup']);
  });

  it('finds nothing for a first deploy, nor once the stack holds both; asks the account of what it lacks', async () => {
    const first = fakeAccount({ existing: [] });
    const deployed = fakeAccount({ stack: ['EventsTable', 'WebhookLogGroup'], existing: ['app-prod-events'] });

    const firstSurvey = await surveyStack(TEMPLATE, first.lookup);
    const deployedSurvey = await surveyStack(TEMPLATE, deployed.lookup, ['EventsTable']);

    expect(firstSurvey.leftBehind).toEqual([]);
    expect(deployedSurvey).toMatchObject({ stackExists: true, leftBehind: [] });
    expect([...deployedSurvey.held]).toEqual(['EventsTable', 'WebhookLogGroup']);
    expect(deployed.asked).toEqual(['stackHolds EventsTable', 'stackHolds WebhookLogGroup']);
  });

  it('finds a table an old failed first deploy kept, in a stack that holds only the deployment bucket', async () => {
    const { lookup } = fakeAccount({ stack: ['ServerlessDeploymentBucket'], existing: ['app-prod-events'] });

    const survey = await surveyStack(TEMPLATE, lookup);

    expect(survey).toMatchObject({ stackExists: true, leftBehind: LEFT_BEHIND });
  });
});

describe('adoptionTemplate', () => {
  it("is the stack's template plus the left-behind resources as declared, Retain, without DependsOn", () => {
    const base: CloudFormationTemplate = {
      Resources: { ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' } },
      Outputs: { ServerlessDeploymentBucketName: { Value: { Ref: 'ServerlessDeploymentBucket' } } },
    };
    const logGroup: RetainedResource = {
      logicalId: 'WebhookLogGroup',
      type: 'AWS::Logs::LogGroup',
      nameProperty: 'LogGroupName',
      name: '/aws/lambda/app-prod-webhook',
    };

    expect(adoptionTemplate(base, TEMPLATE, [...LEFT_BEHIND, logGroup])).toEqual({
      Resources: {
        ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' },
        EventsTable: {
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: { TableName: 'app-prod-events', BillingMode: 'PAY_PER_REQUEST' },
        },
        WebhookLogGroup: {
          Type: 'AWS::Logs::LogGroup',
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: { LogGroupName: '/aws/lambda/app-prod-webhook', RetentionInDays: 30 },
        },
      },
      Outputs: { ServerlessDeploymentBucketName: { Value: { Ref: 'ServerlessDeploymentBucket' } } },
    });
  });
});

describe('adoptionCommands and leftBehindRefusal', () => {
  const options = {
    stage: 'prod',
    region: 'cn-north-1',
    stackName: 'app-prod',
    packageDirectory: '.serverless',
    createTemplateFile: 'cloudformation-template-create-stack.json',
  };

  it('imports into the existing stack without creating it first', () => {
    const commands = adoptionCommands({ ...options, stackExists: true });

    expect(commands[0]).toMatch(/^aws cloudformation create-change-set --region cn-north-1 --stack-name app-prod /);
    expect(commands.join('\n')).not.toContain('create-stack ');
    expect(commands.at(-2)).toBe(
      'aws cloudformation wait stack-import-complete --region cn-north-1 --stack-name app-prod',
    );
    expect(commands.at(-1)).toBe('npx serverless deploy --stage prod');
  });

  it("creates the stack from Serverless's create template first when there is none, and says nothing changed", () => {
    const refusal = leftBehindRefusal(LEFT_BEHIND, { ...options, stackExists: false });

    expect(refusal).toContain('  - EventsTable: the table app-prod-events');
    expect(refusal).toContain('Nothing was changed.');
    expect(refusal).toContain(
      '  aws cloudformation create-stack --region cn-north-1 --stack-name app-prod --template-body ' +
        'file://.serverless/cloudformation-template-create-stack.json\n' +
        '  aws cloudformation wait stack-create-complete --region cn-north-1 --stack-name app-prod\n' +
        '  aws cloudformation create-change-set',
    );
  });
});

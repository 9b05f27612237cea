import { createHash } from 'node:crypto';
import { DetailType } from '../../lib/fanOut/publishedEvent.js';
import type { CloudFormationTemplate, TemplateResource, TemplateValue } from './cloudFormationTemplate.js';
import type { ForwardTarget } from './forwardToSetting.js';

/**
 * The resources of each `forwardTo` endpoint (docs/deploy.md, "Forwarding to HTTP endpoints"): a rule on the
 * stage's bus, an API destination with its connection, the rule's target with a retry policy and a dead-letter
 * queue, the queue's policy, the target's role and an alarm on the queue. Written here rather than in
 * serverless.yml because their number is the setting's.
 */

export interface ForwardToOptions {
  service: string;
  stage: string;
  /** The `source` of the published events: every rule matches it. */
  eventSource: string;
}

/** EventBridge's most: a failing endpoint is retried, with back-off, for a whole day before the event is set aside. */
export const FORWARD_RETRY_POLICY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } as const;

/** The header an endpoint without `authHeader` gets (API destinations require one): the stage, which is no secret. */
export const STAGE_HEADER = 'X-Tencent-Chat-Webhooks-Stage';

/** What the dead-letter queues keep: SQS's most, 14 days. */
const QUEUE_RETENTION_SECONDS = 1_209_600;

/**
 * A target's resources are named after its URL, not its place in the list: inserting an endpoint leaves the
 * others (and the events waiting in their dead-letter queues) as they are.
 */
export const forwardLogicalIdPrefix = (url: string): string =>
  `Forward${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;

const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
const ref = (logicalId: string) => ({ Ref: logicalId });

/** `tencent-chat-webhooks-<stage>-forward-<8 hex>`: the deployer's policy names them by that prefix. */
const eventBridgeName = (prefix: string, options: ForwardToOptions): string =>
  `${options.service}-${options.stage}-forward-${prefix.slice(-8)}`;

const connection = (target: ForwardTarget, name: string, stage: string): TemplateResource => ({
  Type: 'AWS::Events::Connection',
  Properties: {
    Name: name,
    Description: `Calls ${new URL(target.url).host} for stage ${stage}`,
    AuthorizationType: 'API_KEY',
    AuthParameters: {
      // The secret's value only as a dynamic reference: CloudFormation reads it at deploy, and EventBridge keeps it in
      // a secret of its own; the template, the deployment bucket and the stack's events never hold it.
      ApiKeyAuthParameters:
        target.auth === undefined
          ? { ApiKeyName: STAGE_HEADER, ApiKeyValue: stage }
          : {
              ApiKeyName: target.auth.header,
              ApiKeyValue: `{{resolve:secretsmanager:${target.auth.secret}:SecretString}}`,
            },
    },
  },
});

const eventPattern = (target: ForwardTarget, eventSource: string): Record<string, TemplateValue> => ({
  source: [eventSource],
  ...(target.commands.length === 0 ? {} : { 'detail-type': target.commands.map((command) => DetailType[command]) }),
});

const alarm = (prefix: string, target: ForwardTarget, options: ForwardToOptions): TemplateResource => {
  const host = new URL(target.url).host;
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${options.service}-${options.stage}-forward-${host}-${prefix.slice(-8)}-dead-letters`,
      AlarmDescription: `Events that ${host} did not take in a day of retries wait in the dead-letter queue`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(`${prefix}DeadLetterQueue`, 'QueueName') }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref('AlarmTopic')],
      OKActions: [ref('AlarmTopic')],
    },
  };
};

/** One endpoint's resources, by logical ID. */
export const forwardTargetResources = (
  target: ForwardTarget,
  options: ForwardToOptions,
): Record<string, TemplateResource> => {
  const prefix = forwardLogicalIdPrefix(target.url);
  const name = eventBridgeName(prefix, options);
  const ids = {
    connection: `${prefix}Connection`,
    destination: `${prefix}ApiDestination`,
    rule: `${prefix}Rule`,
    role: `${prefix}TargetRole`,
    queue: `${prefix}DeadLetterQueue`,
    queuePolicy: `${prefix}DeadLetterQueuePolicy`,
    alarm: `${prefix}DeadLetterAlarm`,
  };
  return {
    [ids.connection]: connection(target, name, options.stage),
    [ids.destination]: {
      Type: 'AWS::Events::ApiDestination',
      Properties: {
        Name: name,
        ConnectionArn: getAtt(ids.connection, 'Arn'),
        InvocationEndpoint: target.url,
        HttpMethod: 'POST',
        InvocationRateLimitPerSecond: target.ratePerSecond,
      },
    },
    [ids.role]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'invoke-api-destination',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: getAtt(ids.destination, 'Arn') },
              ],
            },
          },
        ],
      },
    },
    [ids.queue]: {
      Type: 'AWS::SQS::Queue',
      Properties: { MessageRetentionPeriod: QUEUE_RETENTION_SECONDS, SqsManagedSseEnabled: true },
    },
    // EventBridge sends the dead letters with its own principal, for this rule only.
    [ids.queuePolicy]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref(ids.queue)],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getAtt(ids.queue, 'Arn'),
              Condition: { ArnEquals: { 'aws:SourceArn': getAtt(ids.rule, 'Arn') } },
            },
          ],
        },
      },
    },
    [ids.rule]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: name,
        Description: `Published events${target.commands.length === 0 ? '' : ' of the listed commands'} to ${
          new URL(target.url).host
        }`,
        EventBusName: ref('EventBus'),
        EventPattern: eventPattern(target, options.eventSource),
        State: 'ENABLED',
        Targets: [
          {
            Id: 'api-destination',
            Arn: getAtt(ids.destination, 'Arn'),
            RoleArn: getAtt(ids.role, 'Arn'),
            RetryPolicy: { ...FORWARD_RETRY_POLICY },
            DeadLetterConfig: { Arn: getAtt(ids.queue, 'Arn') },
          },
        ],
      },
    },
    [ids.alarm]: alarm(prefix, target, options),
  };
};

/** Adds every endpoint's resources to the template. */
export const addForwardTargets = (
  template: CloudFormationTemplate,
  targets: readonly ForwardTarget[],
  options: ForwardToOptions,
): void => {
  for (const target of targets) Object.assign(template.Resources, forwardTargetResources(target, options));
};

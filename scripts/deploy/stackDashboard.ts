import type { TemplateOutput, TemplateResource } from './cloudFormationTemplate.js';

/**
 * The stage's CloudWatch dashboard: how the receiver is doing without reading a log line (docs/operate.md,
 * "The dashboard"). Built here rather than in serverless.yml because its body is one JSON string with the stack's
 * names in it: an `Fn::Sub` whose `${…}` Serverless would take for its own variables.
 */

export const DASHBOARD_LOGICAL_ID = 'Dashboard';
export const DASHBOARD_URL_OUTPUT = 'DashboardUrl';

export interface StackDashboardOptions {
  /** e.g. tencent-chat-webhooks-prod */
  dashboardName: string;
  /** The namespace of the webhook's own metrics (custom.metricsNamespace). */
  metricsNamespace: string;
  region: string;
  /** The stack's alarms, shown by state at the top. */
  alarmLogicalIds: readonly string[];
}

const OUTCOMES = ['recorded', 'duplicate', 'ignored', 'rejected', 'failed'] as const;
const WIDTH = 12;
const HEIGHT = 6;

type MetricLine = (string | Record<string, string | number>)[];

/** `${Name}` or `${Name.Attribute}`: what `Fn::Sub` replaces with the resource's id or attribute. */
const sub = (reference: string): string => `\${${reference}}`;

/** The console's host for the region's partition (China and GovCloud have their own). */
export const consoleHost = (region: string): string => {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
};

const metricWidget = (
  title: string,
  metrics: MetricLine[],
  { stat = 'Sum', period = 60 }: { stat?: string; period?: number } = {},
) => ({
  type: 'metric',
  width: WIDTH,
  height: HEIGHT,
  properties: { title, region: sub('AWS::Region'), view: 'timeSeries', stacked: false, stat, period, metrics },
});

export const stackDashboard = ({
  dashboardName,
  metricsNamespace,
  region,
  alarmLogicalIds,
}: StackDashboardOptions): { resource: TemplateResource; output: TemplateOutput } => {
  const webhook = ['AWS/Lambda', 'Duration', 'FunctionName', sub('WebhookLambdaFunction')];
  const byCommand = `SEARCH('{${metricsNamespace},Command} MetricName="WebhooksByCommand"', 'Sum', 300)`;
  const api = (metricName: string, label: string): MetricLine => [
    'AWS/ApiGateway',
    metricName,
    'ApiId',
    sub('HttpApi'),
    { label },
  ];
  const publish = (metricName: string, label: string, options: Record<string, string> = {}): MetricLine => [
    'AWS/Lambda',
    metricName,
    'FunctionName',
    sub('PublishLambdaFunction'),
    { label, ...options },
  ];
  // Every rule on the bus (the forwardTo endpoints' and any other): a custom bus's metrics carry its name.
  const busRules = (metricName: string, id: string) => [
    {
      expression:
        `SEARCH('{AWS/Events,EventBusName,RuleName} EventBusName="${sub('EventBus')}" ` +
        `MetricName="${metricName}"', 'Sum', 300)`,
      id,
      label: metricName,
    },
  ];
  const queueDepth = (logicalId: string, label: string): MetricLine => [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'QueueName',
    sub(`${logicalId}.QueueName`),
    { label },
  ];
  const widgets = [
    {
      type: 'alarm',
      width: 2 * WIDTH,
      height: 3,
      properties: { title: 'Alarms', alarms: alarmLogicalIds.map((logicalId) => sub(`${logicalId}.Arn`)) },
    },
    metricWidget(
      'Deliveries by outcome (webhook log lines)',
      OUTCOMES.map((outcome) => [metricsNamespace, 'Webhooks', 'Outcome', outcome, { label: outcome }]),
    ),
    metricWidget('Verified deliveries by command', [[{ expression: byCommand, id: 'byCommand', label: '' }]], {
      period: 300,
    }),
    metricWidget('Webhook duration (ms) and cold starts', [
      [...webhook, { stat: 'p50', label: 'p50' }],
      [...webhook, { stat: 'p99', label: 'p99' }],
      [metricsNamespace, 'WebhookColdStarts', { stat: 'Sum', label: 'cold starts', yAxis: 'right' }],
    ]),
    metricWidget('Store failures', [
      [metricsNamespace, 'Webhooks', 'Outcome', 'failed', { label: 'webhook failed (answered 5xx)' }],
      ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', sub('EventsTable'), { label: 'table write throttles' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', sub('RedriveLambdaFunction'), { label: 'redrive errors' }],
      ['AWS/Lambda', 'AsyncEventsDropped', 'FunctionName', sub('RedriveLambdaFunction'), { label: 'redrive dropped' }],
    ]),
    metricWidget(
      'Group state lag (iterator age, ms)',
      [['AWS/Lambda', 'IteratorAge', 'FunctionName', sub('GroupStateLambdaFunction'), { label: 'groupState' }]],
      { stat: 'Maximum' },
    ),
    metricWidget(
      'Failure queues (messages waiting)',
      [
        queueDepth('GroupStateFailuresQueue', 'group-state failures'),
        queueDepth('RedriveFailuresQueue', 'redrive failures'),
        queueDepth('UnpublishedEventsQueue', 'unpublished events'),
      ],
      { stat: 'Maximum', period: 300 },
    ),
    metricWidget('Publishing to the bus: errors and lag (ms)', [
      publish('Errors', 'publish errors', { stat: 'Sum' }),
      publish('IteratorAge', 'lag (iterator age)', { stat: 'Maximum', yAxis: 'right' }),
    ]),
    metricWidget(
      'Bus rules: invocations and failed invocations',
      [busRules('Invocations', 'invocations'), busRules('FailedInvocations', 'failedInvocations')],
      { period: 300 },
    ),
    metricWidget('HTTP API answers', [
      api('Count', 'requests'),
      api('4xx', '4xx'),
      api('5xx', '5xx'),
      [metricsNamespace, 'ApiThrottled', { label: '429 throttled' }],
    ]),
  ];
  const dashboardQuery = `region=${sub('AWS::Region')}#dashboards:name=${sub(DASHBOARD_LOGICAL_ID)}`;
  return {
    resource: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: dashboardName,
        DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) },
      },
    },
    output: {
      Description: 'The stage\'s CloudWatch dashboard (docs/operate.md, "The dashboard")',
      Value: {
        'Fn::Sub': `https://${consoleHost(region)}/cloudwatch/home?${dashboardQuery}`,
      },
    },
  };
};

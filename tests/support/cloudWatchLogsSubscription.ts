import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';

/** What a CloudWatch Logs subscription hands the redrive for these lines of the webhook's log (gzip, base64). */
export const subscriptionEvent = (
  lines: readonly string[],
  messageType = 'DATA_MESSAGE',
  timestamp = 1_763_800_000_000,
): CloudWatchLogsEvent => ({
  awslogs: {
    data: gzipSync(
      JSON.stringify({
        messageType,
        owner: '123456789012',
        logGroup: '/aws/lambda/tencent-chat-webhooks-prod-webhook',
        logStream: '2026/11/22/[$LATEST]0123456789abcdef',
        subscriptionFilters: ['redrive'],
        logEvents: lines.map((message, index) => ({ id: String(index), timestamp, message })),
      }),
    ).toString('base64'),
  },
});

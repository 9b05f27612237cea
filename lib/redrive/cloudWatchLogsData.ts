import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';

/** What a CloudWatch Logs subscription hands a function: gzip-compressed JSON, base64. */
export const decodeCloudWatchLogsData = (event: CloudWatchLogsEvent): CloudWatchLogsDecodedData =>
  JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;

import { InputLimit } from './limits.js';
import { WebhookRejectedError } from './rejection.js';

/** The query parameters Tencent appends to the callback URL (names spelled exactly as Tencent sends them). */
export interface WebhookQuery {
  sdkAppId: string | undefined;
  callbackCommand: string | undefined;
  clientIp: string | undefined;
  optPlatform: string | undefined;
  sign: string | undefined;
  requestTime: string | undefined;
}

/** Each field's query parameter, spelled as Tencent sends it. */
const QUERY_PARAMETER_NAMES = {
  sdkAppId: 'SdkAppid',
  callbackCommand: 'CallbackCommand',
  clientIp: 'ClientIP',
  optPlatform: 'OptPlatform',
  sign: 'Sign',
  requestTime: 'RequestTime',
} as const satisfies Record<keyof WebhookQuery, string>;

/** Both payload formats carry the query here (a repeated parameter: last value in 1.0, comma-joined in 2.0). */
export const readWebhookQuery = (event: {
  queryStringParameters?: Record<string, string | undefined> | null;
}): WebhookQuery => {
  const params = event.queryStringParameters ?? {};
  return {
    sdkAppId: params[QUERY_PARAMETER_NAMES.sdkAppId],
    callbackCommand: params[QUERY_PARAMETER_NAMES.callbackCommand],
    clientIp: params[QUERY_PARAMETER_NAMES.clientIp],
    optPlatform: params[QUERY_PARAMETER_NAMES.optPlatform],
    sign: params[QUERY_PARAMETER_NAMES.sign],
    requestTime: params[QUERY_PARAMETER_NAMES.requestTime],
  };
};

/** Refuses an over-long Tencent parameter before it is compared, logged or stored. */
export const assertQueryWithinLimits = (
  query: WebhookQuery,
  maxLength: number = InputLimit.queryParameterLength,
): void => {
  for (const [field, value] of Object.entries(query)) {
    if (value !== undefined && value.length > maxLength) {
      throw new WebhookRejectedError(
        'QueryParameterTooLong',
        `query parameter ${QUERY_PARAMETER_NAMES[field as keyof WebhookQuery]} is longer than ${maxLength} characters`,
      );
    }
  }
};

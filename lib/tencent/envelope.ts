/** The body of every answer to Tencent: the only shape the Chat backend accepts as a webhook reply. */
export interface TencentEnvelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorInfo: string;
  ErrorCode: number;
}

/** The Lambda proxy response that carries a Tencent envelope. */
export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const jsonHeaders = { 'content-type': 'application/json' } as const;

export const okResponse = (): WebhookResponse => ({
  statusCode: 200,
  headers: { ...jsonHeaders },
  body: JSON.stringify({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 } satisfies TencentEnvelope),
});

export const failResponse = (httpStatus: number, errorCode: number, errorInfo: string): WebhookResponse => ({
  statusCode: httpStatus,
  headers: { ...jsonHeaders },
  body: JSON.stringify({ ActionStatus: 'FAIL', ErrorInfo: errorInfo, ErrorCode: errorCode } satisfies TencentEnvelope),
});

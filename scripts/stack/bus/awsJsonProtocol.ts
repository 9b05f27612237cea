import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered as the AWS JSON protocols answer one: an HTTP status and a body naming the error's type. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'AwsJsonError';
  }
}

/** One service's operations as its X-Amz-Target names them (`AWSEvents.PutEvents`, `AmazonSQS.SendMessage`). */
export interface AwsJsonService {
  targetPrefix: string;
  /** AWS JSON 1.1 (EventBridge) or 1.0 (SQS): the content type the answers carry. */
  version: '1.0' | '1.1';
  /** Requests above this are refused whole before they are parsed. */
  maxRequestBytes: number;
  operations: Record<string, (input: Record<string, unknown>) => unknown>;
}

const readLimitedBody = async (request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

const callOperation = async (
  service: AwsJsonService,
  request: IncomingMessage,
): Promise<{ statusCode: number; body: unknown }> => {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(`${service.targetPrefix}.`)
      ? service.operations[target.slice(service.targetPrefix.length + 1)]
      : undefined;
    if (request.method !== 'POST' || !operation)
      throw new AwsJsonError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
    const body = await readLimitedBody(request, service.maxRequestBytes);
    if (!body) throw new AwsJsonError('RequestEntityTooLarge', 'Request is too large.', 413);
    const input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new AwsJsonError('SerializationException', 'The request body is not a JSON object.');
    return { statusCode: 200, body: (await operation(input as Record<string, unknown>)) ?? {} };
  } catch (error) {
    if (error instanceof AwsJsonError)
      return { statusCode: error.statusCode, body: { __type: error.type, message: error.message } };
    if (error instanceof SyntaxError)
      return { statusCode: 400, body: { __type: 'SerializationException', message: error.message } };
    return { statusCode: 500, body: { __type: 'InternalFailure', message: String(error) } };
  }
};

/** Answers one request the way an AWS JSON service does: the operation's output, or an error's type and message. */
export const answerAwsJsonRequest = async (
  service: AwsJsonService,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const { statusCode, body } = await callOperation(service, request);
  response.writeHead(statusCode, { 'content-type': `application/x-amz-json-${service.version}` });
  response.end(JSON.stringify(body));
};

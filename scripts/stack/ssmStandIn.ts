import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface SsmStandIn {
  endpoint: string;
  /** SecureString values by parameter name; change them to rotate. */
  parameters: Map<string, string>;
  /** Every GetParameter request received, in order. */
  requests: { Name?: string; WithDecryption?: boolean }[];
  /** While true, every request is answered as SSM answers over its throughput: ThrottlingException. */
  throttling: boolean;
  /** An SSM client as the function builds it, pointed here. */
  client(): SSMClient;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
};

/**
 * A real HTTP server speaking the one SSM call the webhook makes (GetParameter, AWS JSON 1.1), so the SDK's
 * whole path (signing, serialization, errors) runs as against AWS.
 */
export const startSsmStandIn = async (): Promise<SsmStandIn> => {
  const parameters = new Map<string, string>();
  const requests: SsmStandIn['requests'] = [];
  const standIn = { throttling: false } as SsmStandIn;
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const input = JSON.parse(text) as { Name?: string; WithDecryption?: boolean };
      requests.push(input);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (standIn.throttling) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        return;
      }
      const value = input.Name === undefined ? undefined : parameters.get(input.Name);
      if (request.headers['x-amz-target'] !== 'AmazonSSM.GetParameter' || value === undefined) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ParameterNotFound', message: `Parameter ${input.Name} not found.` }));
        return;
      }
      response.end(JSON.stringify({ Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(standIn, {
    endpoint,
    parameters,
    requests,
    client: () =>
      new SSMClient({
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return standIn;
};

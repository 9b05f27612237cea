import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ParametersExtensionStandIn {
  port: number;
  close(): Promise<void>;
}

/** The Parameters and Secrets extension's GET /systemsmanager/parameters/get, answering from `parameters`. */
export const startParametersExtensionStandIn = async (
  parameters: ReadonlyMap<string, string>,
  sessionToken: string,
): Promise<ParametersExtensionStandIn> => {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const value = parameters.get(url.searchParams.get('name') ?? '');
    const authorized = request.headers['x-aws-parameters-secrets-token'] === sessionToken;
    if (url.pathname !== '/systemsmanager/parameters/get' || !authorized || value === undefined) {
      response.statusCode = authorized ? 404 : 401;
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ Parameter: { Name: url.searchParams.get('name'), Type: 'SecureString', Value: value } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

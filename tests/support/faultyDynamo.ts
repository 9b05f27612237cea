import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

export interface FaultyDynamo {
  endpoint: string;
  /** Requests (or, for `silent`, connections) the fault has received. */
  received(): number;
  close(): Promise<void>;
}

const listen = async (server: Server | HttpServer): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
};

const closeAll = (server: Server | HttpServer, sockets: Set<Socket>) => async (): Promise<void> => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
};

/** Accepts connections and never answers: a DynamoDB that hangs. */
export const silentDynamo = async (): Promise<FaultyDynamo> => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  return { endpoint: await listen(server), received: () => connections, close: closeAll(server, sockets) };
};

/**
 * Speaks DynamoDB's JSON error protocol: every request is answered after `delayMs` with the given error
 * (e.g. ThrottlingException, 400), as the real service does under load.
 */
export const failingDynamo = async ({
  errorType,
  statusCode,
  delayMs = 0,
}: {
  errorType: string;
  statusCode: number;
  delayMs?: number;
}): Promise<FaultyDynamo> => {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createHttpServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      setTimeout(() => {
        response.writeHead(statusCode, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(
          JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${errorType}`, message: 'Rate exceeded' }),
        );
      }, delayMs);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { endpoint: await listen(server), received: () => requests, close: closeAll(server, sockets) };
};

/**
 * A DynamoDB that answers late: every request goes to the real one at `target` and its answer is held back
 * `delayMs`, as an overloaded service's is. What it stores is real.
 */
export const slowDynamo = async ({ target, delayMs }: { target: string; delayMs: number }): Promise<FaultyDynamo> => {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createHttpServer((request, response) => {
    requests += 1;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      try {
        const answer = await fetch(target, {
          method: request.method ?? 'POST',
          headers: Object.fromEntries(
            Object.entries(request.headers).flatMap(([name, value]) =>
              typeof value === 'string' && name !== 'host' && name !== 'content-length' ? [[name, value]] : [],
            ),
          ),
          body: Buffer.concat(chunks),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        setTimeout(() => {
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
          response.end(body);
        }, delayMs);
      } catch {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { endpoint: await listen(server), received: () => requests, close: closeAll(server, sockets) };
};

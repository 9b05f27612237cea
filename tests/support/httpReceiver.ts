import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  /** Every request received, in order, whatever it was answered. */
  requests: ReceivedRequest[];
  /** The statuses of the next answers, in order; once they are used up, 200. */
  answerNext(...statuses: number[]): void;
  /** Holds every answer from now on until the returned function is called. */
  holdAnswers(): () => void;
  close(): Promise<void>;
}

/** A real HTTP endpoint on loopback, as an app behind FORWARD_TO: it records each request and answers as told. */
export const startHttpReceiver = async (): Promise<HttpReceiver> => {
  const requests: ReceivedRequest[] = [];
  const statuses: number[] = [];
  let held = Promise.resolve();
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    requests.push({ method: request.method ?? '', headers: request.headers, body });
    await held;
    response.writeHead(statuses.shift() ?? 200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    answerNext: (...next) => statuses.push(...next),
    holdAnswers: () => {
      let release = () => {};
      held = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

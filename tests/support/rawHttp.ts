import { connect } from 'node:net';

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const parseHead = (head: string): Omit<RawResponse, 'body'> => {
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { statusCode: Number(statusLine.split(' ')[1]), headers };
};

/**
 * Sends a request byte for byte as Tencent's documentation shows it: a POST carrying only the Host and
 * Content-Length headers (no Content-Type), on a kept-alive connection; reads one answer (Content-Length framed).
 */
export const postLikeTencent = (port: number, pathAndQuery: string, body: string): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no complete answer within 10 s')));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = parseHead(received.subarray(0, headEnd).toString('utf8'));
      const bodyBytes = received.subarray(headEnd + 4);
      if (bodyBytes.length < Number(head.headers['content-length'] ?? 0)) return;
      socket.destroy();
      resolve({ ...head, body: bodyBytes.toString('utf8') });
    });
    socket.write(
      `POST ${pathAndQuery} HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: ` +
        `${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });

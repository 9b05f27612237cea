import { Agent, request } from 'node:http';

export interface Answer<T> {
  item: T;
  status: number;
  /** The answer's body (Tencent's envelope, or whatever else came back). */
  body: string;
  latencyMs: number;
}

/** A POST with `body` (as Tencent sends it), or a GET without. */
export interface LoadClientRequest {
  path: string;
  body?: string;
}

/**
 * Sends every item once over `connections` keep-alive connections, each connection one request at a
 * time, and returns each item's own answer. (Load tools that recycle one request template cannot tell
 * which answer belongs to which body, and that is what the store check needs.)
 */
export const sendConcurrently = async <T>({
  origin,
  items,
  connections,
  toRequest,
  timeoutMs = 10_000,
}: {
  origin: string;
  items: readonly T[];
  connections: number;
  toRequest: (item: T) => LoadClientRequest;
  timeoutMs?: number;
}): Promise<{ answers: Answer<T>[]; durationMs: number }> => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const answers: Answer<T>[] = [];
  let next = 0;

  const send = (item: T): Promise<Answer<T>> => {
    const { path, body } = toRequest(item);
    const startedAt = performance.now();
    return new Promise((resolve) => {
      // Tencent's headers: Host and Content-Length only, no Content-Type.
      const outgoing = request(
        new URL(path, origin),
        body === undefined
          ? { method: 'GET', agent, timeout: timeoutMs }
          : { method: 'POST', agent, headers: { 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({ item, status: response.statusCode ?? 0, body: text, latencyMs: performance.now() - startedAt }),
          );
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', (error) =>
        resolve({ item, status: 0, body: error.message, latencyMs: performance.now() - startedAt }),
      );
      outgoing.end(body);
    });
  };

  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        answers.push(await send(item));
      }
    }),
  );
  const durationMs = performance.now() - startedAt;
  agent.destroy();
  return { answers, durationMs };
};

export const percentile = (values: readonly number[], fraction: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
};

import { connect } from 'node:net';

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: 'localhost' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Resolves true once something accepts connections on `port`, false when `giveUp` says so first (e.g. the
 * process that was to listen has exited) or after `timeoutMs`.
 */
export const waitUntilListening = async (
  port: number,
  { giveUp, timeoutMs = 180_000 }: { giveUp: () => boolean; timeoutMs?: number },
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!giveUp() && Date.now() < deadline) {
    if (await accepts(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
};

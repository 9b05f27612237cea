import { createServer } from 'node:net';

/** Resolves true when nothing listens on `port` (any interface), by briefly listening on it. */
export const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });

/** The one line `npm start` prints for a port it cannot use, naming the variable that moves it. */
export const busyPortMessage = (port: number, variable: string): string =>
  `Port ${port} is already in use: stop what listens there, or set ${variable} to another port.`;

export const isAddressInUse = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

/** Exits with the one-line message when one of `ports` is taken. */
export const exitIfAnyPortBusy = async (ports: readonly { port: number; variable: string }[]): Promise<void> => {
  for (const { port, variable } of ports) {
    if (!(await portIsFree(port))) {
      console.error(busyPortMessage(port, variable));
      process.exit(1);
    }
  }
};

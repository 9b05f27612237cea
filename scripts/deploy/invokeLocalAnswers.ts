import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of osls's own `invoke local` plugin (AwsInvokeLocal, osls 4.3) this file relies on. */
export interface InvokeLocalPlugin {
  serverless: { serviceDir: string };
  options: { extraServicePath?: string };
  invokeLocalNodeJs(handlerPath: string, handlerName: string, ...rest: unknown[]): Promise<unknown>;
}

type Handler = (...args: unknown[]) => unknown;

/** Loads the handler's module as osls does (the `.cjs` bundle as a fallback), or undefined. */
const loadHandlerModule = (modulePath: string): { file: string; exports: Record<string, unknown> } | undefined => {
  const load = createRequire(modulePath);
  for (const candidate of [modulePath, `${modulePath}.cjs`]) {
    try {
      const file = load.resolve(candidate);
      return { file, exports: load(file) as Record<string, unknown> };
    } catch {
      // The next candidate, as osls tries it.
    }
  }
  return undefined;
};

/**
 * Calls `onAnswer` with what each Node.js function run by `serverless invoke local` returns: osls prints the
 * answer and exits 0 whatever it is. The handler is wrapped in Node's module cache, where osls's own `require`
 * then finds it; an ES module (not cached there) is left alone.
 */
export const watchInvokeLocalAnswers = (plugin: InvokeLocalPlugin, onAnswer: (answer: unknown) => void): void => {
  const invoke = plugin.invokeLocalNodeJs.bind(plugin);
  plugin.invokeLocalNodeJs = (handlerPath, handlerName, ...rest) => {
    // The path osls computes, after serverless-esbuild pointed serviceDir at its bundles.
    const loaded = loadHandlerModule(
      join(plugin.serverless.serviceDir, plugin.options.extraServicePath ?? '', handlerPath),
    );
    const cached = loaded && createRequire(loaded.file).cache[loaded.file];
    const handler = loaded?.exports[handlerName];
    if (cached && typeof handler === 'function') {
      const watched = async (...args: unknown[]) => {
        const answer = await (handler as Handler)(...args);
        onAnswer(answer);
        return answer;
      };
      cached.exports = { ...loaded.exports, [handlerName]: watched };
    }
    return invoke(handlerPath, handlerName, ...rest);
  };
};

/** The status of an HTTP function's answer outside 2xx, or undefined (2xx, or not an HTTP answer). */
export const failedHttpStatus = (answer: unknown): number | undefined => {
  const status = (answer as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' && (status < 200 || status > 299) ? status : undefined;
};

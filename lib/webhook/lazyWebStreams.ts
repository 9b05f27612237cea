/**
 * Stands in for `node:stream/web` in the bundle (serverless.yml, `custom.esbuild.alias`). @middy/core imports
 * `ReadableStream` from it at load time, for response streaming only, which this function does not use;
 * loading Node's web streams is a visible share of every cold start (scripts/bench/README.md). Here the
 * real class is looked up only when middy's streaming path asks `instanceof ReadableStream`.
 */
export const ReadableStream = {
  [Symbol.hasInstance]: (value: unknown): boolean => value instanceof globalThis.ReadableStream,
};

import { type ChildProcess, fork } from 'node:child_process';
import { type ContenderName, alternatingOrder } from './alternatingOrder.js';
import { type BenchMeasurement, benchMeasurement } from './benchResult.js';
import { interquartileRange, median, pairRatios } from './statistics.js';
import type { WarmWorkerInput, WarmWorkerReply, WarmWorkerRequest } from './warmInvocationWorker.js';

export interface WarmInvocationRuns {
  workerPath: string;
  bundlePaths: Record<ContenderName, string>;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  warmupPairs: number;
  pairs: number;
  /** Stops early, with the pairs measured so far, when this much time has passed. */
  maxDurationMs: number;
}

interface Worker {
  invoke(): Promise<number>;
  stop(): void;
}

const startWorker = async (workerPath: string, input: WarmWorkerInput, env: NodeJS.ProcessEnv): Promise<Worker> => {
  const child: ChildProcess = fork(workerPath, [JSON.stringify(input)], { env, execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let pending: { resolve: (reply: WarmWorkerReply) => void; reject: (error: Error) => void } | undefined;
  const nextReply = () => new Promise<WarmWorkerReply>((resolve, reject) => (pending = { resolve, reject }));
  child.on('message', (reply: WarmWorkerReply) => pending?.resolve(reply));
  child.on('exit', (code) => pending?.reject(new Error(`warm worker for ${input.bundlePath} exited (${code})`)));
  const ready = await nextReply();
  if (ready.type !== 'ready') throw new Error(`warm worker did not start: ${JSON.stringify(ready)}`);
  return {
    async invoke() {
      const reply = nextReply();
      child.send({ type: 'invoke' } satisfies WarmWorkerRequest);
      const answer = await reply;
      if (answer.type !== 'invoked') throw new Error(`warm invocation failed: ${answer.type === 'failed' ? answer.error : answer.type}`);
      return answer.ms;
    },
    stop() {
      child.send({ type: 'stop' } satisfies WarmWorkerRequest);
    },
  };
};

/**
 * One long-lived process per contender, as Lambda keeps one per execution environment, invoked in alternating
 * pairs so that the machine's load at any moment hits both alike. Each invocation writes one new item.
 */
export const measureWarmInvocations = async (runs: WarmInvocationRuns) => {
  const workers: Record<ContenderName, Worker> = {
    webhook: await startWorker(runs.workerPath, { bundlePath: runs.bundlePaths.webhook, runId: 'warm-webhook', timeoutMs: runs.timeoutMs }, runs.env),
    baseline: await startWorker(runs.workerPath, { bundlePath: runs.bundlePaths.baseline, runId: 'warm-baseline', timeoutMs: runs.timeoutMs }, runs.env),
  };
  const measured: Record<ContenderName, number[]> = { webhook: [], baseline: [] };
  let invocations = 0;
  try {
    for (let pair = 0; pair < runs.warmupPairs; pair += 1) {
      for (const contender of alternatingOrder(pair)) await workers[contender].invoke();
      invocations += 2;
    }
    const deadline = performance.now() + runs.maxDurationMs;
    for (let pair = 0; pair < runs.pairs && performance.now() < deadline; pair += 1) {
      for (const contender of alternatingOrder(pair)) measured[contender].push(await workers[contender].invoke());
      invocations += 2;
    }
  } finally {
    workers.webhook.stop();
    workers.baseline.stop();
  }
  const warmInvocation: BenchMeasurement = benchMeasurement(
    'warm invocation',
    'ms',
    median(measured.webhook),
    median(measured.baseline),
    interquartileRange(pairRatios(measured.webhook, measured.baseline)),
  );
  return { warmInvocation, pairsMeasured: measured.webhook.length, itemsWritten: invocations };
};

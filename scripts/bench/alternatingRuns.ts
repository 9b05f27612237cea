/**
 * The bench's two ways of running a pair of contenders, always in alternation so that whatever the machine
 * does in a given second (and any first/second position effect) hits both alike: fresh processes for cold
 * starts, one long-lived process each for warm invocations. Every invocation writes one new item.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { LambdaProcessInput, LambdaProcessReply, LambdaProcessRequest } from './lambdaProcess.js';

/** What runs in a Lambda process: a bundle and the environment Lambda would give it. */
export interface Contender {
  bundlePath: string;
  env: NodeJS.ProcessEnv;
}

export interface RunSettings {
  /** The built lambdaProcess.ts. */
  lambdaProcessPath: string;
  /** The Node binary that plays the Lambda runtime. */
  nodePath: string;
  timeoutMs: number;
  signingToken: string;
  /** Prefixes the run IDs, so two runs never write the same item. */
  runPrefix: string;
}

/** The order of round `index`: as given, then reversed, and so on (a pair thus takes turns going first). */
export const alternatingOrder = <Name extends string>(names: readonly Name[], index: number): readonly Name[] =>
  index % 2 === 0 ? names : [...names].reverse();

const startLambdaProcess = (
  settings: RunSettings,
  contender: Contender,
  input: Omit<LambdaProcessInput, 'bundlePath' | 'timeoutMs' | 'signingToken'>,
) => {
  const fullInput: LambdaProcessInput = {
    ...input,
    bundlePath: contender.bundlePath,
    timeoutMs: settings.timeoutMs,
    signingToken: settings.signingToken,
  };
  const child: ChildProcess = fork(settings.lambdaProcessPath, [JSON.stringify(fullInput)], {
    env: contender.env,
    execPath: settings.nodePath,
    execArgv: [],
    // The function's log lines are discarded, as cheaply as Lambda's log capture takes them.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  // Replies are queued: one may arrive before anyone waits for it (two warm processes start at once).
  const replies: LambdaProcessReply[] = [];
  let exitCode: number | null | undefined;
  let waiting: (() => void) | undefined;
  child.on('message', (reply: LambdaProcessReply) => {
    replies.push(reply);
    waiting?.();
  });
  child.on('exit', (code) => {
    exitCode = code;
    waiting?.();
  });
  const nextReply = async (): Promise<LambdaProcessReply> => {
    while (replies.length === 0) {
      if (exitCode !== undefined) throw new Error(`Lambda process for ${contender.bundlePath} exited (${exitCode})`);
      await new Promise<void>((resolve) => (waiting = resolve));
    }
    const reply = replies.shift() as LambdaProcessReply;
    if (reply.type === 'failed') throw new Error(`Lambda process for ${contender.bundlePath} failed:\n${reply.error}`);
    return reply;
  };
  return { child, nextReply };
};

export interface ColdStart {
  /** require() of the bundle: reading, compiling and running its module scope (the function's init). */
  loadMs: number;
  /** Load plus the first invocation, connection set-up and a real write included. */
  firstInvocationMs: number;
}

/** `pairs` fresh processes per contender, in alternating order. */
export const measureColdStarts = async <Name extends string>(
  settings: RunSettings,
  contenders: Readonly<Record<Name, Contender>>,
  names: readonly Name[],
  pairs: number,
): Promise<Record<Name, ColdStart[]>> => {
  const starts = Object.fromEntries(names.map((name) => [name, [] as ColdStart[]])) as Record<Name, ColdStart[]>;
  for (let pair = 0; pair < pairs; pair += 1) {
    for (const name of alternatingOrder(names, pair)) {
      const { nextReply } = startLambdaProcess(settings, contenders[name], {
        mode: 'cold',
        runId: `${settings.runPrefix}-cold-${name}-${pair}`,
      });
      const reply = await nextReply();
      if (reply.type !== 'cold') throw new Error(`unexpected reply from a cold Lambda process: ${reply.type}`);
      starts[name].push({ loadMs: reply.loadMs, firstInvocationMs: reply.firstInvocationMs });
    }
  }
  return starts;
};

export interface WarmRuns {
  warmupPairs: number;
  pairs: number;
  /** Events per request: 1 times each invocation, more average many (for times too short to take one by one). */
  invocationsPerRequest: number;
  /** Stops early, with the pairs measured so far, when this much time has passed. */
  maxDurationMs: number;
}

/**
 * One long-lived process per contender, as Lambda keeps one per execution environment, invoked in alternating pairs.
 */
export const measureWarmInvocations = async <Name extends string>(
  settings: RunSettings,
  contenders: Readonly<Record<Name, Contender>>,
  names: readonly Name[],
  runs: WarmRuns,
): Promise<{ meansMs: Record<Name, number[]>; invocations: number }> => {
  const processes = names.map(
    (name) =>
      [
        name,
        startLambdaProcess(settings, contenders[name], { mode: 'warm', runId: `${settings.runPrefix}-warm-${name}` }),
      ] as const,
  );
  const byName = Object.fromEntries(processes) as Record<Name, ReturnType<typeof startLambdaProcess>>;
  const meansMs = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  let invocations = 0;
  const invoke = async (name: Name): Promise<number> => {
    const { child, nextReply } = byName[name];
    const reply = nextReply();
    child.send({ type: 'invoke', count: runs.invocationsPerRequest } satisfies LambdaProcessRequest);
    const answer = await reply;
    if (answer.type !== 'invoked') throw new Error(`unexpected reply from a warm Lambda process: ${answer.type}`);
    invocations += runs.invocationsPerRequest;
    return answer.meanMs;
  };
  try {
    for (const [name, { nextReply }] of processes) {
      if ((await nextReply()).type !== 'ready') throw new Error(`warm Lambda process ${name} did not start`);
    }
    for (let pair = 0; pair < runs.warmupPairs; pair += 1) {
      for (const name of alternatingOrder(names, pair)) await invoke(name);
    }
    const deadline = performance.now() + runs.maxDurationMs;
    for (let pair = 0; pair < runs.pairs && performance.now() < deadline; pair += 1) {
      for (const name of alternatingOrder(names, pair)) meansMs[name].push(await invoke(name));
    }
  } finally {
    for (const [, { child }] of processes)
      if (child.connected) child.send({ type: 'stop' } satisfies LambdaProcessRequest);
  }
  return { meansMs, invocations };
};

import { Contender, type ContenderName, alternatingOrder } from './alternatingOrder.js';
import { type BenchMeasurement, benchMeasurement } from './benchResult.js';
import type { ColdStartInput, ColdStartReport } from './coldStartProbe.js';
import { spawnProbe } from './probeProcess.js';
import { interquartileRange, median, pairRatios } from './statistics.js';

export interface ColdStartRuns {
  probePath: string;
  bundlePaths: Record<ContenderName, string>;
  env: NodeJS.ProcessEnv;
  pairs: number;
  timeoutMs: number;
  onProgress?: (pair: number) => void;
}

/** `pairs` fresh processes per contender, in alternating order; each writes one item. */
export const measureColdStarts = async ({ probePath, bundlePaths, env, pairs, timeoutMs, onProgress }: ColdStartRuns) => {
  const reports: Record<ContenderName, ColdStartReport[]> = { webhook: [], baseline: [] };
  for (let pair = 0; pair < pairs; pair += 1) {
    for (const contender of alternatingOrder(pair)) {
      const input: ColdStartInput = { bundlePath: bundlePaths[contender], runId: `cold-${contender}-${pair}`, timeoutMs };
      reports[contender].push(await spawnProbe<ColdStartReport>(probePath, input, env));
    }
    onProgress?.(pair);
  }
  const series = (contender: ContenderName, field: keyof ColdStartReport) => reports[contender].map((report) => report[field]);
  const measurement = (name: string, field: keyof ColdStartReport): BenchMeasurement => {
    const webhook = series(Contender.Webhook, field);
    const baseline = series(Contender.Baseline, field);
    return benchMeasurement(name, 'ms', median(webhook), median(baseline), interquartileRange(pairRatios(webhook, baseline)));
  };
  return {
    coldLoad: measurement('cold load', 'loadMs'),
    firstInvocation: measurement('first invocation', 'firstInvocationMs'),
    itemsWritten: pairs * 2,
  };
};

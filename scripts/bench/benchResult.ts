import type { InterquartileRange } from './statistics.js';

/** One row of bench-results.json. `ratio` is value / baseline: lower is better, 1 means "costs what the baseline costs". */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
}

/** A row as printed: the spread of the pair ratios is shown, not written to the JSON file. */
export interface BenchMeasurement extends BenchResult {
  pairRatioSpread?: InterquartileRange;
}

const SIGNIFICANT_DIGITS = 4;
/** Counts (bytes) stay exact; times and ratios keep four significant digits, more than their noise allows. */
const rounded = (value: number): number => (Number.isInteger(value) ? value : Number(value.toPrecision(SIGNIFICANT_DIGITS)));

export const benchMeasurement = (
  name: string,
  unit: string,
  value: number,
  baseline: number,
  pairRatioSpread?: InterquartileRange,
): BenchMeasurement => {
  if (!(baseline > 0)) throw new Error(`${name}: the baseline must be positive, got ${baseline}`);
  return {
    name,
    unit,
    value: rounded(value),
    baseline: rounded(baseline),
    ratio: rounded(value / baseline),
    ...(pairRatioSpread ? { pairRatioSpread } : {}),
  };
};

/** Exactly the five fields of bench-results.json, in that order. */
export const benchResult = ({ name, unit, value, baseline, ratio }: BenchResult): BenchResult => ({
  name,
  unit,
  value,
  baseline,
  ratio,
});

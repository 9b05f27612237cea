/**
 * The bench's results: one row per measurement (bench-results.json holds exactly its five fields), the
 * budgets they are held to, and the Markdown table printed and pasted into scripts/bench/README.md.
 */
import type { InterquartileRange } from './statistics.js';

/**
 * One row of bench-results.json. `ratio` is value / baseline: lower is better, 1 means "costs what the baseline costs".
 */
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
const rounded = (value: number): number =>
  Number.isInteger(value) ? value : Number(value.toPrecision(SIGNIFICANT_DIGITS));

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

/** The most each measurement may cost, as a multiple of the baseline's (issue 13), on every Node the bench runs. */
export const BUDGETS: Readonly<Record<string, number>> = {
  'bundle size': 0.75,
  'cold load': 0.8,
  'first invocation': 0.95,
  'warm invocation': 1,
};

export interface BudgetVerdict {
  name: string;
  ratio: number | undefined;
  limit: number;
  pass: boolean;
}

/** A budget whose measurement is missing fails: a bench that silently skips a row must not pass. */
export const checkBudgets = (
  results: readonly BenchResult[],
  budgets: Readonly<Record<string, number>> = BUDGETS,
): BudgetVerdict[] =>
  Object.entries(budgets).map(([name, limit]) => {
    const ratio = results.find((result) => result.name === name)?.ratio;
    return { name, ratio, limit, pass: ratio !== undefined && ratio <= limit };
  });

const formatNumber = (value: number): string =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(4)));

const verdictText = (verdict: BudgetVerdict | undefined): string =>
  verdict === undefined ? '' : `${verdict.pass ? 'PASS' : 'FAIL'} (≤ ${verdict.limit}×)`;

const spreadText = (measurement: BenchMeasurement): string =>
  measurement.pairRatioSpread
    ? `${measurement.pairRatioSpread.low.toFixed(2)}–${measurement.pairRatioSpread.high.toFixed(2)}×`
    : '';

/** A Markdown table: readable in a terminal, and pasted as is into scripts/bench/README.md. */
export const resultsTable = (measurements: readonly BenchMeasurement[], verdicts: readonly BudgetVerdict[]): string => {
  const header = ['measurement', 'unit', 'webhook', 'baseline', 'ratio', 'pair ratios p25–p75', 'budget'];
  const rows = measurements.map((measurement) => [
    measurement.name,
    measurement.unit,
    formatNumber(measurement.value),
    formatNumber(measurement.baseline),
    `${measurement.ratio.toFixed(3)}×`,
    spreadText(measurement),
    verdictText(verdicts.find((verdict) => verdict.name === measurement.name)),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

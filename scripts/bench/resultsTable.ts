import type { BenchMeasurement } from './benchResult.js';
import type { BudgetVerdict } from './budgets.js';

const formatNumber = (value: number): string =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(4)));

const verdictText = (verdict: BudgetVerdict | undefined): string =>
  verdict === undefined ? '' : `${verdict.pass ? 'PASS' : 'FAIL'} (≤ ${verdict.limit}×)`;

const spreadText = (measurement: BenchMeasurement): string =>
  measurement.pairRatioSpread
    ? `${measurement.pairRatioSpread.low.toFixed(2)}–${measurement.pairRatioSpread.high.toFixed(2)}×`
    : '';

/** A Markdown table: readable in a terminal, and pasted as is into the README. */
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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

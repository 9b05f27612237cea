/** Linear interpolation between the closest ranks; `fraction` 0.5 is the median. */
export const quantile = (values: readonly number[], fraction: number): number => {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(Math.max(fraction, 0), 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowerValue = sorted[lower] as number;
  const upperValue = sorted[upper] as number;
  return lowerValue + (upperValue - lowerValue) * (position - lower);
};

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The middle half of the values: what "the spread" means in the bench's output. */
export interface InterquartileRange {
  low: number;
  high: number;
}

export const interquartileRange = (values: readonly number[]): InterquartileRange => ({
  low: quantile(values, 0.25),
  high: quantile(values, 0.75),
});

/** Element-wise a[i] / b[i], for the ratio of each alternating pair. */
export const pairRatios = (values: readonly number[], baselines: readonly number[]): number[] => {
  if (values.length !== baselines.length) throw new Error('pairs need as many values as baselines');
  return values.map((value, index) => value / (baselines[index] as number));
};

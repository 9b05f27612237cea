import { describe, expect, it } from 'vitest';
import { alternatingOrder } from '../../../../scripts/bench/alternatingRuns.js';
import {
  BUDGETS,
  benchMeasurement,
  benchResult,
  checkBudgets,
  resultsTable,
} from '../../../../scripts/bench/results.js';
import { interquartileRange, median, pairRatios, quantile } from '../../../../scripts/bench/statistics.js';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates quantiles between ranks and clamps the fraction', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3], -1)).toBe(1);
    expect(quantile([1, 2, 3], 2)).toBe(3);
    expect(interquartileRange([1, 2, 3, 4, 5])).toEqual({ low: 2, high: 4 });
  });

  it('refuses to summarise nothing, and pairs of unequal length', () => {
    expect(() => median([])).toThrow('no values');
    expect(() => pairRatios([1, 2], [1])).toThrow('as many');
  });

  it("divides each value by its own pair's baseline", () => {
    expect(pairRatios([2, 3, 4], [1, 3, 8])).toEqual([2, 1, 0.5]);
  });
});

describe('alternating pairs', () => {
  it('puts the first contender first in even rounds and the second first in odd ones', () => {
    expect(alternatingOrder(['webhook', 'baseline'], 0)).toEqual(['webhook', 'baseline']);
    expect(alternatingOrder(['webhook', 'baseline'], 1)).toEqual(['baseline', 'webhook']);
    expect(alternatingOrder(['webhook', 'baseline'], 2)).toEqual(['webhook', 'baseline']);
    expect(alternatingOrder(['storeStubbed'], 1)).toEqual(['storeStubbed']);
  });
});

describe('bench results', () => {
  it('computes the ratio as value / baseline, keeping byte counts exact and four significant digits otherwise', () => {
    expect(benchMeasurement('bundle size', 'bytes', 370_703, 354_849)).toEqual({
      name: 'bundle size',
      unit: 'bytes',
      value: 370_703,
      baseline: 354_849,
      ratio: 1.045,
    });
    expect(benchMeasurement('cold load', 'ms', 54.2839, 52.0311).value).toBe(54.28);
  });

  it('refuses a baseline that is not positive', () => {
    expect(() => benchMeasurement('cold load', 'ms', 1, 0)).toThrow('baseline must be positive');
  });

  it('writes exactly name, unit, value, baseline and ratio to the JSON file', () => {
    const measurement = benchMeasurement('warm invocation', 'ms', 3, 2, { low: 0.9, high: 1.3 });
    expect(Object.keys(benchResult(measurement))).toEqual(['name', 'unit', 'value', 'baseline', 'ratio']);
  });
});

describe('budgets', () => {
  const results = [
    benchMeasurement('bundle size', 'bytes', 75, 100),
    benchMeasurement('cold load', 'ms', 81, 100),
    benchMeasurement('first invocation', 'ms', 90, 100),
    benchMeasurement('warm invocation', 'ms', 100, 100),
  ];

  it("holds the issue's limits: cheaper than the bare SDK to start, no dearer warm", () => {
    expect(BUDGETS).toEqual({ 'bundle size': 0.75, 'cold load': 0.8, 'first invocation': 0.95, 'warm invocation': 1 });
  });

  it('passes a ratio at or under its limit and fails one over it', () => {
    expect(checkBudgets(results)).toEqual([
      { name: 'bundle size', ratio: 0.75, limit: 0.75, pass: true },
      { name: 'cold load', ratio: 0.81, limit: 0.8, pass: false },
      { name: 'first invocation', ratio: 0.9, limit: 0.95, pass: true },
      { name: 'warm invocation', ratio: 1, limit: 1, pass: true },
    ]);
  });

  it('fails a budget whose measurement is missing', () => {
    expect(checkBudgets([], { 'cold load': 1.15 })).toEqual([
      { name: 'cold load', ratio: undefined, limit: 1.15, pass: false },
    ]);
  });

  it('prints one Markdown row per measurement with its verdict', () => {
    const table = resultsTable(results, checkBudgets(results)).split('\n');
    expect(table).toHaveLength(2 + results.length);
    expect(table[0]).toMatch(/^\| measurement +\| unit/);
    expect(table[3]).toContain('FAIL (≤ 0.8×)');
    expect(table[5]).toContain('PASS (≤ 1×)');
  });
});

import type { BenchResult } from './benchResult.js';

/** The most each measurement may cost, as a multiple of the baseline's (issue 5). */
export const BUDGETS: Readonly<Record<string, number>> = {
  'bundle size': 1.25,
  'cold load': 1.15,
  'warm invocation': 1.1,
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

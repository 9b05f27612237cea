import type { GroupStateView } from '../../../lib/groupState/fold.js';
import type { RebuildResult } from '../../../lib/groupState/store.js';

const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

/** The fields whose value differs, as `field: before → after`. */
export const changedFields = (before: GroupStateView | undefined, after: GroupStateView | undefined): string[] => {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...fields].flatMap((field) => {
    const was = before?.[field as keyof GroupStateView];
    const now = after?.[field as keyof GroupStateView];
    return JSON.stringify(was) === JSON.stringify(now) ? [] : [`${field}: ${shown(was)} → ${shown(now)}`];
  });
};

/** One line per group, then one indented line per changed field. */
export const describeRebuild = (result: RebuildResult): string => {
  const head = `${result.groupId}: ${result.outcome} (${result.events} event${result.events === 1 ? '' : 's'})`;
  const changes =
    result.outcome === 'created' || result.outcome === 'rebuilt' ? changedFields(result.before, result.after) : [];
  return [head, ...changes.map((change) => `  ${change}`)].join('\n');
};

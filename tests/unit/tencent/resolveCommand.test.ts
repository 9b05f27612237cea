import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../lib/tencent/resolveCommand.js';
import { rejectionReasonOf as reasonOf } from '../../support/rejectionReasonOf.js';

describe('resolveCommand', () => {
  it("takes the query's command when the body agrees or says nothing", () => {
    expect(resolveCommand('A', { CallbackCommand: 'A' })).toBe('A');
    expect(resolveCommand('A', {})).toBe('A');
  });

  it("takes the body's command when the query has none", () => {
    expect(resolveCommand(undefined, { CallbackCommand: 'B' })).toBe('B');
  });

  it("takes the query's command when the body disagrees or sends a non-string (the handler notes it)", () => {
    expect(resolveCommand('A', { CallbackCommand: 'B' })).toBe('A');
    expect(resolveCommand('A', { CallbackCommand: 1 })).toBe('A');
  });

  it('refuses a request that names no command anywhere: it cannot be identified', () => {
    expect(reasonOf(() => resolveCommand(undefined, {}))).toBe('CommandMissing');
    expect(reasonOf(() => resolveCommand(undefined, { CallbackCommand: 1 }))).toBe('CommandMissing');
  });
});

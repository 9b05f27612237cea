import { describe, expect, it } from 'vitest';
import { rejectionReasonOf as reasonOf } from '../../support/rejectionReasonOf.js';
import { resolveCommand } from '../../../lib/webhook/resolveCommand.js';

describe('resolveCommand', () => {
  it('takes the query\'s command when the body agrees or says nothing', () => {
    expect(resolveCommand('A', { CallbackCommand: 'A' })).toBe('A');
    expect(resolveCommand('A', {})).toBe('A');
  });

  it('takes the body\'s command when the query has none', () => {
    expect(resolveCommand(undefined, { CallbackCommand: 'B' })).toBe('B');
  });

  it('refuses a mismatch, a missing command and a non-string one', () => {
    expect(reasonOf(() => resolveCommand('A', { CallbackCommand: 'B' }))).toBe('CommandMismatch');
    expect(reasonOf(() => resolveCommand(undefined, {}))).toBe('CommandMissing');
    expect(reasonOf(() => resolveCommand('A', { CallbackCommand: 1 }))).toBe('PayloadInvalid');
  });
});

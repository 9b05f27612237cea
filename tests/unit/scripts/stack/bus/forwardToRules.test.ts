import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_SOURCE } from '../../../../../lib/fanOut/publishedEvent.js';
import {
  eventSourceFrom,
  ForwardToError,
  rulesFromForwardTo,
} from '../../../../../scripts/stack/bus/forwardToRules.js';

describe('the local rules from FORWARD_TO', () => {
  it("makes one rule per URL, taking every event of the source, as a deployed forwardTo entry's rule", () => {
    const rules = rulesFromForwardTo(' http://127.0.0.1:9000/hook, https://app.example/events,', 'my.source');

    expect(rules).toEqual([
      { name: 'forward-to-1', pattern: { source: ['my.source'] }, targets: [{ url: 'http://127.0.0.1:9000/hook' }] },
      { name: 'forward-to-2', pattern: { source: ['my.source'] }, targets: [{ url: 'https://app.example/events' }] },
    ]);
  });

  it('makes none when FORWARD_TO is unset or empty', () => {
    expect(rulesFromForwardTo(undefined, 's')).toEqual([]);
    expect(rulesFromForwardTo(' ', 's')).toEqual([]);
  });

  it.each(['localhost:9000/hook', 'ftp://example.com/x', 'http//missing-colon'])(
    'refuses %s in one line naming FORWARD_TO',
    (value) => {
      const refuse = () => rulesFromForwardTo(`http://ok.example,${value}`, 's');
      expect(refuse).toThrow(ForwardToError);
      expect(refuse).toThrow(new RegExp(`^FORWARD_TO: "${value}" is not an http:// or https:// URL`));
    },
  );

  it('takes the source from EVENT_SOURCE, else the default', () => {
    expect(eventSourceFrom({ EVENT_SOURCE: 'acme.chat' })).toBe('acme.chat');
    expect(eventSourceFrom({ EVENT_SOURCE: ' ' })).toBe(DEFAULT_EVENT_SOURCE);
    expect(eventSourceFrom({})).toBe(DEFAULT_EVENT_SOURCE);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRepublishArgs } from '../../../../scripts/tools/republish/republishArgs.js';

describe('npm run republish arguments', () => {
  it('takes groups with an event-time range in ISO 8601 or epoch ms', () => {
    expect(parseRepublishArgs(['@TGS#A', '@TGS#B', '--from', '2026-12-03T08:00:00Z', '--to', '1796300000000'])).toEqual(
      {
        queue: false,
        all: false,
        groupIds: ['@TGS#A', '@TGS#B'],
        range: { from: Date.parse('2026-12-03T08:00:00Z'), to: 1_796_300_000_000 },
        stage: undefined,
      },
    );
  });

  it('takes --all, or --queue with a stage and its queue URL', () => {
    expect(parseRepublishArgs(['--all', '--stage', 'prod'])).toMatchObject({ all: true, groupIds: [], stage: 'prod' });
    expect(parseRepublishArgs(['--queue', '--stage', 'prod', '--queue-url', 'https://sqs/q'])).toEqual({
      queue: true,
      stage: 'prod',
      queueUrl: 'https://sqs/q',
    });
  });

  it.each([
    [[]],
    [['--all', '@TGS#A']],
    [['@TGS#A', '--from', 'yesterday']],
    [['@TGS#A', '--stage']],
    [['--queue', '--from', '1']],
    [['@TGS#A', '--queue-url', 'https://sqs/q']],
  ])('answers the usage for %j', (args) => {
    expect(parseRepublishArgs(args)).toHaveProperty('usage');
  });
});

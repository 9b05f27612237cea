import { describe, expect, it } from 'vitest';
import { resolveSmokeTarget } from '../../../../scripts/tools/smoke/smokeTarget.js';

describe('resolveSmokeTarget for a URL', () => {
  it.each([
    'http://localhost:3000/webhook',
    'http://127.0.0.1:3000/webhook',
    'http://[::1]:3000/webhook',
    'http://app.localhost:3000/webhook',
  ])('reads %s back unsigned: a server on this machine, whose read routes are open', (url) => {
    expect(resolveSmokeTarget(url, {})).toMatchObject({ signReads: false, groupsUrl: new URL('/groups', url) });
  });

  it('signs the reads of any other URL with SigV4, as the deployed read API requires', () => {
    const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/webhook';
    expect(resolveSmokeTarget(url, { AWS_REGION: 'eu-west-1' })).toMatchObject({
      signReads: true,
      region: 'eu-west-1',
      groupsUrl: new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/groups'),
    });
  });
});

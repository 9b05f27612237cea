/**
 * `npm run large-disband -- [--members N | --bytes B] [--out file]`: writes the API Gateway event of a
 * large group's disband (default: 6,000 members of 32-byte UserIDs, about 324 KB), for `npm run invoke`. Written
 * under .data/events/ (git-ignored): a generated event of that size has no place in git.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from './local/largeDisband.js';
import { repositoryRoot } from './local/localSettings.js';

const valueOf = (flag: string): string | undefined => {
  const index = process.argv.indexOf(flag);
  return index < 0 ? undefined : process.argv[index + 1];
};

const bytes = valueOf('--bytes');
const members = bytes === undefined ? Number(valueOf('--members') ?? 6_000) : membersForBytes(Number(bytes));
if (!Number.isSafeInteger(members) || members < 1) {
  console.error('usage: npm run large-disband -- [--members N | --bytes B] [--out file]');
  process.exit(2);
}
const out = valueOf('--out') ?? join(repositoryRoot, '.data', 'events', `large-disband-${members}.json`);
const body = largeDisbandBody({ members });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(largeDisbandEvent(body), null, 2)}\n`);
console.log(`${relative(process.cwd(), out)}: ${members} members, body ${Buffer.byteLength(body)} bytes`);
console.log(`npm run invoke -- ${relative(process.cwd(), out)}`);

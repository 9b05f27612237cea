/**
 * `npm run large-disband -- [--members N | --bytes B] [--out file]`: writes the API Gateway event of a
 * large group's disband (default: 6,000 members of 32-byte UserIDs, about 324 KB), for `npm run invoke`. Written
 * under .data/events/ (git-ignored): a generated event of that size has no place in git.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repositoryRoot } from '../stack/localSettings.js';
import { flagValue } from '../stack/process/flagValue.js';
import { largeDisbandBody, largeDisbandEvent, membersForBytes } from './largeDisbandBody.js';

const bytes = flagValue('--bytes');
const members = bytes === undefined ? Number(flagValue('--members') ?? 6_000) : membersForBytes(Number(bytes));
if (!Number.isSafeInteger(members) || members < 1) {
  console.error('usage: npm run large-disband -- [--members N | --bytes B] [--out file]');
  process.exit(2);
}
const out = flagValue('--out') ?? join(repositoryRoot, '.data', 'events', `large-disband-${members}.json`);
const body = largeDisbandBody({ members });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(largeDisbandEvent(body), null, 2)}\n`);
console.log(`${relative(process.cwd(), out)}: ${members} members, body ${Buffer.byteLength(body)} bytes`);
console.log(`npm run invoke -- ${relative(process.cwd(), out)}`);

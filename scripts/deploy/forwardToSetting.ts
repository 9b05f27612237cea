import { GroupCommand, type GroupCommandName } from '../../lib/tencent/commands.js';

/**
 * The `forwardTo` stage setting: the HTTP endpoints that receive every published event through an EventBridge API
 * destination (docs/deploy.md, "Forwarding to HTTP endpoints"). In serverless.yml's params it is a YAML list (osls
 * 4.3.1 keeps it one); from `--param`, which gives text only, the same list as JSON.
 */
export interface ForwardTarget {
  url: string;
  /** Empty: every command. */
  commands: GroupCommandName[];
  auth?: { header: string; secret: string };
  ratePerSecond: number;
}

/** EventBridge's own bounds on an API destination's InvocationRateLimitPerSecond. */
export const FORWARD_RATE_RANGE = { min: 1, max: 300 } as const;

/**
 * Calls per second an endpoint gets unless its entry says otherwise: above the webhook's usual rate for most Chat
 * apps, under what a small backend serves; a burst above it waits in EventBridge's retries, it is not lost.
 */
export const DEFAULT_FORWARD_RATE_PER_SECOND = 20;

/**
 * Each entry adds 7 resources to the stack: this many stays well inside CloudFormation's 500 per stack and
 * EventBridge's default of 300 rules per bus.
 */
export const MAX_FORWARD_TARGETS = 20;

const ENTRY_KEYS = ['url', 'commands', 'authHeader', 'authSecret', 'ratePerSecond'];
const KNOWN_COMMANDS: readonly string[] = Object.values(GroupCommand);
/** An HTTP header name (RFC 9110 token), within EventBridge's 512 characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,512}$/;
/** A Secrets Manager secret's name, or its ARN: what a `{{resolve:secretsmanager:…}}` reference takes. */
const SECRET_ID =
  /^([A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)$/;
const MAX_URL_LENGTH = 2048;

export interface ForwardToReading {
  targets: ForwardTarget[];
  /** One line each, naming the entry (`forwardTo[2].url: …`). */
  errors: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const urlProblem = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value.trim() === '') return 'required: the endpoint, https://…';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an https:// URL, not "${value}"`;
  }
  if (url.protocol !== 'https:') return `must be https (the events cross the internet), not "${value}"`;
  if (url.username !== '' || url.password !== '')
    return 'must not hold credentials: they would sit in the template; use authHeader and authSecret';
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters (EventBridge's limit)`;
  return undefined;
};

const readEntry = (entry: unknown, name: string, errors: string[]): ForwardTarget | undefined => {
  if (!isRecord(entry)) {
    errors.push(`${name}: must be an object with a url, not ${JSON.stringify(entry)}`);
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(entry))
    if (!ENTRY_KEYS.includes(key)) errors.push(`${name}: unknown key "${key}" (known: ${ENTRY_KEYS.join(', ')})`);
  const urlError = urlProblem(entry.url);
  if (urlError !== undefined) errors.push(`${name}.url: ${urlError}`);

  const commands = entry.commands ?? [];
  if (!Array.isArray(commands) || (commands.length === 0 && entry.commands !== undefined)) {
    errors.push(`${name}.commands: must be a non-empty list of commands, or left out for every command`);
  } else {
    for (const command of commands)
      if (typeof command !== 'string' || !KNOWN_COMMANDS.includes(command))
        errors.push(`${name}.commands: "${command}" is not a recorded command (${KNOWN_COMMANDS.join(', ')})`);
    if (new Set(commands).size !== commands.length) errors.push(`${name}.commands: lists a command twice`);
  }

  const { authHeader, authSecret } = entry;
  if ((authHeader === undefined) !== (authSecret === undefined)) {
    const [given, missing] = authHeader === undefined ? ['authSecret', 'authHeader'] : ['authHeader', 'authSecret'];
    errors.push(`${name}.${missing}: required with ${given}: the header's name and the secret holding its value`);
  }
  if (authHeader !== undefined && (typeof authHeader !== 'string' || !HEADER_NAME.test(authHeader)))
    errors.push(`${name}.authHeader: must be an HTTP header name, not "${authHeader}"`);
  if (authSecret !== undefined && (typeof authSecret !== 'string' || !SECRET_ID.test(authSecret)))
    errors.push(`${name}.authSecret: must be a Secrets Manager secret's name or ARN, not "${authSecret}"`);

  const rate = entry.ratePerSecond ?? DEFAULT_FORWARD_RATE_PER_SECOND;
  const { min, max } = FORWARD_RATE_RANGE;
  if (!/^\d+$/.test(String(rate)) || Number(rate) < min || Number(rate) > max)
    errors.push(`${name}.ratePerSecond: must be a whole number from ${min} to ${max}, not "${rate}"`);

  if (errors.length > before) return undefined;
  return {
    url: entry.url as string,
    commands: commands as GroupCommandName[],
    ...(authHeader === undefined ? {} : { auth: { header: authHeader as string, secret: authSecret as string } }),
    ratePerSecond: Number(rate),
  };
};

/** The list from the stage's params (a list) or from --param (JSON text); empty or absent: no endpoint. */
const listOf = (setting: unknown): { list: unknown[] } | { error: string } => {
  if (setting === undefined || setting === null || setting === '') return { list: [] };
  if (Array.isArray(setting)) return { list: setting };
  if (typeof setting === 'string') {
    try {
      const parsed: unknown = JSON.parse(setting);
      if (Array.isArray(parsed)) return { list: parsed };
    } catch {
      // refused below
    }
  }
  return {
    error: 'forwardTo: must be a list of endpoints ({ url, commands?, authHeader?, authSecret?, ratePerSecond? })',
  };
};

/** Reads and checks the `forwardTo` setting. */
export const readForwardTo = (setting: unknown): ForwardToReading => {
  const found = listOf(setting);
  if ('error' in found) return { targets: [], errors: [`${found.error}, or JSON of one with --param`] };
  const errors: string[] = [];
  if (found.list.length > MAX_FORWARD_TARGETS)
    errors.push(`forwardTo: at most ${MAX_FORWARD_TARGETS} endpoints (each adds 7 resources to the stack)`);
  const targets = found.list.flatMap((entry, index) => readEntry(entry, `forwardTo[${index + 1}]`, errors) ?? []);
  const urls = targets.map((target) => target.url);
  for (const url of new Set(urls.filter((candidate, index) => urls.indexOf(candidate) !== index)))
    errors.push(`forwardTo: ${url} is listed twice (an endpoint is one entry: list every command it takes there)`);
  return { targets: errors.length === 0 ? targets : [], errors };
};

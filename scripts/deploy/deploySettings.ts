import { readForwardTo } from './forwardToSetting.js';
import { LOCAL_STAGE } from './localStageGuard.js';

/**
 * The settings of one stage as serverless.yml resolved them (custom.settings: the stage's params over the
 * defaults). Values from --param arrive as strings, values from the file may be numbers.
 */
export type DeploySettings = Record<string, unknown>;

export interface DeploySettingsCheck {
  /** Each names the setting and what it must be; any one refuses the package. */
  errors: string[];
  warnings: string[];
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

/** Lambda keeps this many of an account's concurrent executions unreserved, whatever the functions reserve. */
export const LAMBDA_UNRESERVED_CONCURRENCY = 100;

/** Lambda's default concurrency quota per account and region (Service Quotas: "Concurrent executions"). */
export const DEFAULT_ACCOUNT_CONCURRENCY_LIMIT = 1_000;

/** An HTTP API waits at most 30 s for its integration: a function may not usefully run longer behind it. */
export const HTTP_API_INTEGRATION_TIMEOUT_SECONDS = 30;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

const isWholeNumber = (value: string, min: number, max: number): boolean =>
  /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

type Rule = (value: string) => string | undefined;

const optional =
  (rule: Rule): Rule =>
  (value) =>
    value === '' ? undefined : rule(value);

const wholeNumber =
  (min: number, max: number): Rule =>
  (value) =>
    isWholeNumber(value, min, max) ? undefined : `must be a whole number from ${min} to ${max}, not "${value}"`;

const oneOf =
  (allowed: readonly string[]): Rule =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}, not "${value}"`;

/** Format rules, every stage. Numbers have the bounds AWS or the function accept. */
const FORMAT_RULES: Record<string, Rule> = {
  sdkAppId: optional((value) =>
    /^\d{1,20}$/.test(value) ? undefined : `must be the Chat app's numeric SDKAppID, not "${value}"`,
  ),
  callbackTokenParameter: optional((value) =>
    /^\/[A-Za-z0-9_.\-/]{1,1010}$/.test(value)
      ? undefined
      : `must be an SSM parameter name starting with /, not "${value}"`,
  ),
  allowUnsignedCallbacks: optional(oneOf(['true', 'false'])),
  maxClockSkewSeconds: optional(wholeNumber(1, 3_600)),
  eventRetentionDays: optional(wholeNumber(1, 36_500)),
  logLevel: (value) => oneOf(LOG_LEVELS)(value.toUpperCase()),
  groupStateUpdates: oneOf(['stream', 'inline']),
  throttleRateLimit: wholeNumber(1, 10_000),
  throttleBurstLimit: wholeNumber(1, 5_000),
  webhookReservedConcurrency: optional(wholeNumber(1, 1_000_000)),
  accountConcurrencyLimit: optional(wholeNumber(1, 1_000_000)),
  functionTimeoutSeconds: wholeNumber(1, HTTP_API_INTEGRATION_TIMEOUT_SECONDS),
  tableMaxReadRequestUnits: optional(wholeNumber(1, 40_000_000)),
  tableMaxWriteRequestUnits: optional(wholeNumber(1, 40_000_000)),
  alarmEmail: optional((value) =>
    /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? undefined : `must be an e-mail address, not "${value}"`,
  ),
  iteratorAgeAlarmSeconds: wholeNumber(1, 86_400),
  api4xxAlarmPercent: wholeNumber(1, 100),
  tableDeletionProtection: oneOf(['true', 'false']),
  // PutEvents refuses a source starting with "aws." (AWS's own) and one over 256 characters.
  eventSource: (value) => {
    if (!/^[\x21-\x7e]{1,256}$/.test(value))
      return `must be 1 to 256 printable characters without spaces, not "${value}"`;
    return value.toLowerCase().startsWith('aws.')
      ? `must not start with "aws." (AWS's own sources), not "${value}"`
      : undefined;
  },
  eventArchiveRetentionDays: wholeNumber(1, 36_500),
  region: optional((value) =>
    /^[a-z]{2}(-[a-z]+)+-\d$/.test(value) ? undefined : `must be an AWS region such as eu-west-1, not "${value}"`,
  ),
};

const paramHint = (name: string, stage: string) => `(params.${stage}.${name} in serverless.yml)`;

/** Settings that are well-formed one by one but break together, in any stage (a malformed one is named already). */
const combinationErrors = (settings: DeploySettings, malformed: ReadonlySet<string>): string[] => {
  const errors: string[] = [];
  const read = text(settings.tableMaxReadRequestUnits);
  const write = text(settings.tableMaxWriteRequestUnits);
  const capsWellFormed = !malformed.has('tableMaxReadRequestUnits') && !malformed.has('tableMaxWriteRequestUnits');
  if (capsWellFormed && (read === '') !== (write === '')) {
    const [given, missing] =
      read === ''
        ? ['tableMaxWriteRequestUnits', 'tableMaxReadRequestUnits']
        : ['tableMaxReadRequestUnits', 'tableMaxWriteRequestUnits'];
    errors.push(
      `${missing}: required with ${given}: the table's on-demand cap takes both numbers or neither ` +
        `(CloudFormation has no "uncapped" value for one: DynamoDB's -1 is below its minimum of 1); set ` +
        `${missing} too, or remove ${given}`,
    );
  }
  const reserved = text(settings.webhookReservedConcurrency);
  const accountLimitText = text(settings.accountConcurrencyLimit);
  const accountLimit = accountLimitText === '' ? DEFAULT_ACCOUNT_CONCURRENCY_LIMIT : Number(accountLimitText);
  const mostReservable = accountLimit - LAMBDA_UNRESERVED_CONCURRENCY;
  const concurrencyWellFormed =
    reserved !== '' && !malformed.has('webhookReservedConcurrency') && !malformed.has('accountConcurrencyLimit');
  if (concurrencyWellFormed && Number(reserved) > mostReservable) {
    errors.push(
      `webhookReservedConcurrency: ${reserved} is more than this account can reserve: Lambda keeps ` +
        `${LAMBDA_UNRESERVED_CONCURRENCY} of the account's concurrent executions unreserved, so with ` +
        `accountConcurrencyLimit ${accountLimit} at most ${Math.max(mostReservable, 0)} (less what other ` +
        `functions reserve). Lower it, or raise the account's "Concurrent executions" quota (Service Quotas, ` +
        `aws lambda get-account-settings shows it) and set accountConcurrencyLimit to the new quota`,
    );
  }
  return errors;
};

/**
 * The longest stage name EventBridge takes in the stack's names: `tencent-chat-webhooks-<stage>` for the archive
 * (48 characters at most), `…-<stage>-forward-<8 hex>` for a forwardTo endpoint's rule, connection and API
 * destination (64).
 */
export const MAX_STAGE_NAME_LENGTH = 25;

/** What a deployed stage needs beyond well-formed values. */
const deployedStageErrors = (stage: string, settings: DeploySettings): string[] => {
  const errors: string[] = [];
  if (stage.length > MAX_STAGE_NAME_LENGTH)
    errors.push(
      `stage: ${stage} is longer than ${MAX_STAGE_NAME_LENGTH} characters, which EventBridge's names of the bus's ` +
        `archive and the forwardTo endpoints cannot hold; choose a shorter stage name`,
    );
  if (text(settings.sdkAppId) === '')
    errors.push(`sdkAppId: required for stage ${stage}: your Chat app's SDKAppID ${paramHint('sdkAppId', stage)}`);
  if (text(settings.region) === '')
    errors.push(`region: required for stage ${stage}, so it never depends on the shell ${paramHint('region', stage)}`);
  for (const name of ['callbackToken', 'callbackTokenNext']) {
    if (text(settings[name]) !== '') {
      errors.push(
        `${name}: a token given at package time would sit in the template, the deployment bucket and the function's ` +
          `environment; store it in an SSM SecureString and set callbackTokenParameter to its name`,
      );
    }
  }
  const unsignedAllowed = text(settings.allowUnsignedCallbacks) === 'true';
  if (text(settings.callbackTokenParameter) === '' && !unsignedAllowed) {
    errors.push(
      `callbackTokenParameter: required for stage ${stage}: the name of the SSM SecureString holding the ` +
        `callback token ` +
        `${paramHint('callbackTokenParameter', stage)}, or allowUnsignedCallbacks=true to accept unsigned callbacks`,
    );
  }
  if (text(settings.logLevel).toUpperCase() === 'SILENT') {
    errors.push(
      `logLevel: SILENT would silence the webhook's "failed" lines in stage ${stage}: the redrive would never ` +
        `record those callbacks and the failure alarm could never fire; use ERROR at the quietest ` +
        `${paramHint('logLevel', stage)}`,
    );
  }
  if (text(settings.groupStateUpdates) === 'inline') {
    errors.push(
      `groupStateUpdates: inline is for the local stage, which has no table stream; in stage ${stage} the ` +
        `groupState function folds the stream and the webhook's role may not Query the table (every inline ` +
        `update would fail with AccessDenied): use stream, or remove the setting ` +
        `${paramHint('groupStateUpdates', stage)}`,
    );
  }
  return errors;
};

/** Choices a deployed stage may make, said out loud. */
const deployedStageWarnings = (stage: string, settings: DeploySettings): string[] => {
  const warnings: string[] = [];
  if (text(settings.allowUnsignedCallbacks) === 'true' && text(settings.callbackTokenParameter) === '') {
    warnings.push(
      `allowUnsignedCallbacks=true: stage ${stage} accepts callbacks without a Sign; anyone who knows the ` +
        `SdkAppid can post events`,
    );
  }
  const logLevel = text(settings.logLevel).toUpperCase();
  if (logLevel === 'WARN' || logLevel === 'ERROR') {
    warnings.push(
      `logLevel=${logLevel}: stage ${stage} logs no INFO line, so the dashboard's recorded, duplicate and ` +
        `ignored deliveries read 0 (failures and alarms are unaffected)`,
    );
  }
  return warnings;
};

/** Checks one stage's settings at package time (and so before every deploy). */
export const checkDeploySettings = (stage: string, settings: DeploySettings): DeploySettingsCheck => {
  const malformed = Object.entries(FORMAT_RULES).flatMap(([name, rule]) => {
    const problem = rule(text(settings[name]));
    return problem === undefined ? [] : [{ name, error: `${name}: ${problem}` }];
  });
  const errors: string[] = malformed.map(({ error }) => error);
  errors.push(...combinationErrors(settings, new Set(malformed.map(({ name }) => name))));
  // A list (or JSON text of one), not a plain value: read whole.
  errors.push(...readForwardTo(settings.forwardTo).errors);
  if (stage === LOCAL_STAGE) return { errors, warnings: [] };
  errors.push(...deployedStageErrors(stage, settings));
  return { errors, warnings: deployedStageWarnings(stage, settings) };
};

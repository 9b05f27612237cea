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
  webhookReservedConcurrency: optional(wholeNumber(1, 10_000)),
  tableMaxReadRequestUnits: optional(wholeNumber(1, 40_000_000)),
  tableMaxWriteRequestUnits: optional(wholeNumber(1, 40_000_000)),
  alarmEmail: optional((value) =>
    /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? undefined : `must be an e-mail address, not "${value}"`,
  ),
  iteratorAgeAlarmSeconds: wholeNumber(1, 86_400),
  region: optional((value) =>
    /^[a-z]{2}(-[a-z]+)+-\d$/.test(value) ? undefined : `must be an AWS region such as eu-west-1, not "${value}"`,
  ),
};

const paramHint = (name: string, stage: string) => `(params.${stage}.${name} in serverless.yml)`;

/** What a deployed stage needs beyond well-formed values. */
const deployedStageErrors = (stage: string, settings: DeploySettings): string[] => {
  const errors: string[] = [];
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
  return errors;
};

/** Checks one stage's settings at package time (and so before every deploy). */
export const checkDeploySettings = (stage: string, settings: DeploySettings): DeploySettingsCheck => {
  const errors = Object.entries(FORMAT_RULES).flatMap(([name, rule]) => {
    const problem = rule(text(settings[name]));
    return problem === undefined ? [] : [`${name}: ${problem}`];
  });
  const warnings: string[] = [];
  if (stage !== LOCAL_STAGE) {
    errors.push(...deployedStageErrors(stage, settings));
    if (text(settings.allowUnsignedCallbacks) === 'true' && text(settings.callbackTokenParameter) === '') {
      warnings.push(
        `allowUnsignedCallbacks=true: stage ${stage} accepts callbacks without a Sign; anyone who knows the ` +
          `SdkAppid can post events`,
      );
    }
  }
  return { errors, warnings };
};

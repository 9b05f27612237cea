/**
 * EventBridge's event patterns, the part the local bus needs and a little more: exact values (strings, numbers,
 * booleans, null), `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric`, `exists`, nested fields, and
 * event fields holding arrays (a field matches when any of its elements does).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */

type ExactValue = string | number | boolean | null;
type AnythingBut = ExactValue | ExactValue[] | { prefix: string } | { suffix: string };

export type PatternMatcher =
  | ExactValue
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': AnythingBut }
  | { numeric: (string | number)[] }
  | { exists: boolean };

/** A field maps to the values it may take (any one of them), or to a pattern for the object it holds. */
export interface EventPattern {
  [field: string]: readonly PatternMatcher[] | EventPattern;
}

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(`Invalid event pattern: ${message}`);
    this.name = 'InvalidEventPatternError';
  }
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fieldOf = (value: unknown, field: string): unknown =>
  isObject(value) && Object.hasOwn(value, field) ? value[field] : undefined;

const NUMERIC_COMPARISONS: Record<string, (value: number, bound: number) => boolean> = {
  '=': (value, bound) => value === bound,
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const matchesNumeric = (value: unknown, conditions: (string | number)[]): boolean => {
  if (typeof value !== 'number') return false;
  for (let index = 0; index < conditions.length; index += 2) {
    const compare = NUMERIC_COMPARISONS[String(conditions[index])];
    if (!compare?.(value, Number(conditions[index + 1]))) return false;
  }
  return true;
};

const matchesAnythingBut = (value: unknown, excluded: AnythingBut): boolean => {
  if (isObject(value) || value === undefined) return false;
  if (isObject(excluded)) return !matchesValue(value, excluded as PatternMatcher);
  const values = Array.isArray(excluded) ? excluded : [excluded];
  return !values.some((candidate) => matchesValue(value, candidate));
};

/** Whether one value of the event (never an array: the caller tries each element) matches one matcher. */
const matchesValue = (value: unknown, matcher: PatternMatcher): boolean => {
  if (!isObject(matcher)) return value === matcher;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof value === 'string' && value.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher)
    return typeof value === 'string' && value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  if ('anything-but' in matcher) return matchesAnythingBut(value, matcher['anything-but']);
  if ('numeric' in matcher) return matchesNumeric(value, matcher.numeric);
  throw new InvalidEventPatternError(`unknown matcher ${JSON.stringify(matcher)}`);
};

const isExistsMatcher = (matcher: PatternMatcher): matcher is { exists: boolean } =>
  isObject(matcher) && 'exists' in matcher;

const matchesField = (value: unknown, matchers: readonly PatternMatcher[]): boolean => {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    // `exists` is about leaves: a field holding an object neither exists nor is missing for it.
    if (isExistsMatcher(matcher)) return matcher.exists ? value !== undefined && !isObject(value) : value === undefined;
    return value !== undefined && values.some((element) => matchesValue(element, matcher));
  });
};

/** Whether `event` (or the object at one of its fields) matches every field of `pattern`. */
export const matchesEventPattern = (event: unknown, pattern: EventPattern): boolean => {
  if (Array.isArray(event)) return event.some((element) => matchesEventPattern(element, pattern));
  return Object.entries(pattern).every(([field, expected]) =>
    Array.isArray(expected)
      ? matchesField(fieldOf(event, field), expected)
      : matchesEventPattern(fieldOf(event, field), expected as EventPattern),
  );
};

const KNOWN_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists']);

/** Refuses what EventBridge refuses in a rule's pattern: no field, a leaf that is not an array, an unknown operator. */
export const checkEventPattern = (pattern: unknown, path = ''): EventPattern => {
  if (!isObject(pattern) || Object.keys(pattern).length === 0)
    throw new InvalidEventPatternError(`${path || 'the pattern'} must be an object with at least one field`);
  for (const [field, expected] of Object.entries(pattern)) {
    const at = path ? `${path}.${field}` : field;
    if (Array.isArray(expected)) {
      for (const matcher of expected)
        if (isObject(matcher) && !Object.keys(matcher).every((operator) => KNOWN_OPERATORS.has(operator)))
          throw new InvalidEventPatternError(`${at}: unknown operator in ${JSON.stringify(matcher)}`);
    } else checkEventPattern(expected, at);
  }
  return pattern as EventPattern;
};

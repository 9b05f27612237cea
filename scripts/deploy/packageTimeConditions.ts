import {
  type CloudFormationTemplate,
  isNoValue,
  isTemplateObject,
  type TemplateValue,
} from './cloudFormationTemplate.js';

/**
 * serverless.yml's conditions compare settings, which are literal strings once Serverless has resolved them:
 * `!Not [!Equals ["1000", ""]]`. CloudFormation would decide them the same way at every deploy, but cfn-lint reads
 * each as a mistake (W8003, "will always return"), checks the branch never taken (E3012 on its ''), and the
 * template carries both branches. So they are decided here, at package time: each `Fn::If` on such a condition
 * becomes the branch taken, a resource or output under a false one is left out, and the condition goes. A
 * condition that reads anything else (a Ref, a parameter) is left to CloudFormation, as is every `Fn::If` on it.
 */

type Decisions = Map<string, boolean>;

const isLiteral = (value: TemplateValue): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The condition's value when it compares literals only (through other such conditions too), else undefined. */
const decide = (
  expression: TemplateValue,
  conditions: Record<string, TemplateValue>,
  seen: ReadonlySet<string> = new Set(),
): boolean | undefined => {
  if (!isTemplateObject(expression)) return undefined;
  const [[name, argument] = []] = Object.entries(expression);
  if (Object.keys(expression).length !== 1 || argument === undefined) return undefined;
  if (name === 'Condition') {
    if (typeof argument !== 'string' || seen.has(argument) || conditions[argument] === undefined) return undefined;
    return decide(conditions[argument], conditions, new Set([...seen, argument]));
  }
  if (!Array.isArray(argument)) return undefined;
  if (name === 'Fn::Equals') {
    const [left, right] = argument;
    if (argument.length !== 2 || left === undefined || right === undefined) return undefined;
    return isLiteral(left) && isLiteral(right) ? String(left) === String(right) : undefined;
  }
  const operands = argument.map((operand) => decide(operand, conditions, seen));
  if (operands.some((operand) => operand === undefined)) return undefined;
  if (name === 'Fn::Not') return operands.length === 1 ? !operands[0] : undefined;
  if (name === 'Fn::And') return operands.every(Boolean);
  if (name === 'Fn::Or') return operands.some(Boolean);
  return undefined;
};

const LEFT_OUT = Symbol('left out');

/** `value` with each decided `Fn::If` replaced by its branch; LEFT_OUT where that branch is AWS::NoValue. */
const chooseBranches = (value: TemplateValue, decisions: Decisions): TemplateValue | typeof LEFT_OUT => {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const chosen = chooseBranches(item, decisions);
      return chosen === LEFT_OUT ? [] : [chosen];
    });
  }
  if (!isTemplateObject(value)) return value;
  const branches = value['Fn::If'];
  if (Object.keys(value).length === 1 && Array.isArray(branches) && typeof branches[0] === 'string') {
    const decision = decisions.get(branches[0]);
    if (decision !== undefined) {
      const branch = branches[decision ? 1 : 2];
      if (branch === undefined || isNoValue(branch)) return LEFT_OUT;
      return chooseBranches(branch, decisions);
    }
  }
  const entries = Object.entries(value).flatMap(([key, item]) => {
    const chosen = chooseBranches(item, decisions);
    return chosen === LEFT_OUT ? [] : [[key, chosen] as const];
  });
  return Object.fromEntries(entries);
};

/** Names of the conditions that `value` refers to (`Condition` keys and the first argument of `Fn::If`). */
const conditionsReferredBy = (value: TemplateValue, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) conditionsReferredBy(item, found);
  } else if (isTemplateObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Condition' && typeof item === 'string') found.add(item);
      if (key === 'Fn::If' && Array.isArray(item) && typeof item[0] === 'string') found.add(item[0]);
      conditionsReferredBy(item, found);
    }
  }
  return found;
};

/** Decides, in place, every condition of `template` that compares literals only; returns what it decided. */
export const resolvePackageTimeConditions = (template: CloudFormationTemplate): Decisions => {
  const conditions = template.Conditions ?? {};
  const decisions: Decisions = new Map();
  for (const [name, expression] of Object.entries(conditions)) {
    const decision = decide(expression, conditions);
    if (decision !== undefined) decisions.set(name, decision);
  }
  if (decisions.size === 0) return decisions;

  for (const section of ['Resources', 'Outputs'] as const) {
    const entries = template[section];
    if (entries === undefined) continue;
    for (const [logicalId, entry] of Object.entries(entries)) {
      const decision = entry.Condition === undefined ? undefined : decisions.get(entry.Condition);
      if (decision === false) {
        delete entries[logicalId];
        continue;
      }
      if (decision === true) delete entry.Condition;
      const chosen = chooseBranches(entry as unknown as TemplateValue, decisions);
      entries[logicalId] = chosen as never;
    }
  }

  // A decided condition that an undecided one still names stays, for CloudFormation to read.
  const stillNamed = conditionsReferredBy(
    Object.entries(conditions)
      .filter(([name]) => !decisions.has(name))
      .map(([, expression]) => expression),
  );
  for (const name of decisions.keys()) if (!stillNamed.has(name)) delete conditions[name];
  if (template.Conditions !== undefined && Object.keys(template.Conditions).length === 0) delete template.Conditions;
  return decisions;
};

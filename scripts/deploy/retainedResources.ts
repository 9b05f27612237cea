import type { CloudFormationTemplate, TemplateResource } from './cloudFormationTemplate.js';

/**
 * The stack keeps two resources when it goes (`serverless remove`): the events table and the webhook's log group.
 * Both have fixed names, so a later deploy of the same stage fails on them with "already exists" once
 * CloudFormation has done half its work. This finds them before CloudFormation is asked anything, and writes what
 * brings them back into the stack with their data: a CloudFormation import (docs/deploy.md, "Deploying a removed
 * stage again").
 */

/** The property that names each kind of kept resource: CloudFormation's identifier for an import of it. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

const KEEPING_POLICIES = new Set(['Retain', 'RetainExceptOnCreate']);

export const ADOPTION_TEMPLATE_FILE = 'cloudformation-template-adopt-retained.json';
export const ADOPTION_RESOURCES_FILE = 'resources-to-adopt.json';
export const ADOPTION_CHANGE_SET = 'adopt-retained';

export interface RetainedResource {
  logicalId: string;
  type: string;
  nameProperty: string;
  name: string;
}

/** What the deploy asks of the account, before CloudFormation creates or updates anything. */
export interface AccountLookup {
  stackExists(): Promise<boolean>;
  /** Asked only when the stack exists. */
  stackHolds(logicalId: string): Promise<boolean>;
  /** The stack's current template; asked only when the stack exists and something was left behind. */
  stackTemplate(): Promise<CloudFormationTemplate>;
  exists(resource: RetainedResource): Promise<boolean>;
}

/** The named resources of `template` that a stack deletion leaves in the account. */
export const retainedResourcesOf = (template: CloudFormationTemplate): RetainedResource[] =>
  Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const nameProperty = NAME_PROPERTY[resource.Type];
    const name = nameProperty === undefined ? undefined : resource.Properties?.[nameProperty];
    if (!KEEPING_POLICIES.has(resource.DeletionPolicy ?? '') || nameProperty === undefined) return [];
    return typeof name === 'string' ? [{ logicalId, type: resource.Type, nameProperty, name }] : [];
  });

export interface StackSurvey {
  stackExists: boolean;
  /** The logical ids of `template` that the stack already holds (of those asked about). */
  held: ReadonlySet<string>;
  /** Kept resources that are in the account but not in the stack: CloudFormation would fail to create them. */
  leftBehind: RetainedResource[];
}

/** What the account already has of the stack about to be deployed. `alsoAsk`: other logical ids to look up. */
export const surveyStack = async (
  template: CloudFormationTemplate,
  lookup: AccountLookup,
  alsoAsk: readonly string[] = [],
): Promise<StackSurvey> => {
  const retained = retainedResourcesOf(template);
  const stackExists = await lookup.stackExists();
  const asked = [...new Set([...retained.map(({ logicalId }) => logicalId), ...alsoAsk])];
  const held = new Set<string>();
  if (stackExists) for (const logicalId of asked) if (await lookup.stackHolds(logicalId)) held.add(logicalId);
  const leftBehind: RetainedResource[] = [];
  for (const resource of retained)
    if (!held.has(resource.logicalId) && (await lookup.exists(resource))) leftBehind.push(resource);
  return { stackExists, held, leftBehind };
};

/**
 * The template of an import: the stack as it is (`base`) plus the left-behind resources as `template` declares
 * them. An import needs a deletion policy on each; `Retain` keeps them whatever the import's outcome.
 */
export const adoptionTemplate = (
  base: CloudFormationTemplate,
  template: CloudFormationTemplate,
  leftBehind: readonly RetainedResource[],
): CloudFormationTemplate => {
  const adopted = Object.fromEntries(
    leftBehind.map(({ logicalId }) => {
      const { DependsOn: _dependsOn, Condition: _condition, ...declared } = template.Resources[logicalId] ?? {};
      return [logicalId, { ...declared, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as TemplateResource];
    }),
  );
  return { ...base, Resources: { ...base.Resources, ...adopted } };
};

/** `--resources-to-import` of `aws cloudformation create-change-set`. */
export const resourcesToImport = (leftBehind: readonly RetainedResource[]) =>
  leftBehind.map(({ logicalId, type, nameProperty, name }) => ({
    ResourceType: type,
    LogicalResourceId: logicalId,
    ResourceIdentifier: { [nameProperty]: name },
  }));

export interface AdoptionCommandsOptions {
  stage: string;
  region: string;
  stackName: string;
  stackExists: boolean;
  /** How the commands name the directory of the package (relative to where they run, or absolute). */
  packageDirectory: string;
  /** The stack's first template, in the package directory (Serverless's own create template). */
  createTemplateFile: string;
}

/** The commands that import the left-behind resources into the stack, then deploy it as usual. */
export const adoptionCommands = ({
  stage,
  region,
  stackName,
  stackExists,
  packageDirectory,
  createTemplateFile,
}: AdoptionCommandsOptions): string[] => {
  const on = `--region ${region} --stack-name ${stackName}`;
  const file = (name: string) => `file://${packageDirectory}/${name}`;
  return [
    ...(stackExists
      ? []
      : [
          `aws cloudformation create-stack ${on} --template-body ${file(createTemplateFile)}`,
          `aws cloudformation wait stack-create-complete ${on}`,
        ]),
    `aws cloudformation create-change-set ${on} --change-set-name ${ADOPTION_CHANGE_SET} --change-set-type IMPORT ` +
      `--template-body ${file(ADOPTION_TEMPLATE_FILE)} --resources-to-import ${file(ADOPTION_RESOURCES_FILE)}`,
    `aws cloudformation wait change-set-create-complete ${on} --change-set-name ${ADOPTION_CHANGE_SET}`,
    `aws cloudformation execute-change-set ${on} --change-set-name ${ADOPTION_CHANGE_SET}`,
    `aws cloudformation wait stack-import-complete ${on}`,
    `npx serverless deploy --stage ${stage}`,
  ];
};

const describe = ({ logicalId, type, name }: RetainedResource): string =>
  `${logicalId}: ${type === 'AWS::DynamoDB::Table' ? 'the table' : 'the log group'} ${name}`;

/** Why the deploy stops, and the commands that let the next one through with the data kept. */
export const leftBehindRefusal = (leftBehind: readonly RetainedResource[], options: AdoptionCommandsOptions): string =>
  [
    `Stage ${options.stage} cannot be deployed yet: an earlier deploy of it left these in the account (kept on ` +
      `purpose when the stage was removed), outside its stack ${options.stackName}, and CloudFormation would fail ` +
      `to create them again ("already exists"):`,
    ...leftBehind.map((resource) => `  - ${describe(resource)}`),
    `Nothing was changed. To bring them back into the stack with their data (a CloudFormation import; ` +
      `docs/deploy.md, "Deploying a removed stage again"), run, then deploy with the options of this deploy:`,
    ...adoptionCommands(options).map((command) => `  ${command}`),
  ].join('\n');

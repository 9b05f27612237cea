import type { CloudFormationTemplate } from './cloudFormationTemplate.js';

/**
 * DynamoDB refuses to delete a table with deletion protection on, CloudFormation included: the rollback of the
 * deploy that created such a table fails on it, and every retry then meets "already exists". So the deploy that
 * creates a table creates it unprotected (its RetainExceptOnCreate policy lets a rollback delete it), and the plugin
 * turns the protection on once that deploy has succeeded; every later deploy's template says so too.
 */

export interface HeldBackTable {
  logicalId: string;
  tableName: string;
}

const isOn = (value: unknown): boolean => value === true || value === 'true';

/** The logical ids of the tables `template` protects. */
export const protectedTableIds = (template: CloudFormationTemplate): string[] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .filter(([, resource]) => isOn(resource.Properties?.DeletionProtectionEnabled))
    .map(([logicalId]) => logicalId);

/**
 * Turns off, in `template`, the protection of each protected table the stack does not hold yet (`held`: the logical
 * ids it does), and returns those tables: to protect once the deploy has succeeded.
 */
export const holdBackDeletionProtection = (
  template: CloudFormationTemplate,
  held: ReadonlySet<string>,
): HeldBackTable[] =>
  protectedTableIds(template)
    .filter((logicalId) => !held.has(logicalId))
    .map((logicalId) => {
      const properties = template.Resources[logicalId]?.Properties ?? {};
      properties.DeletionProtectionEnabled = false;
      return { logicalId, tableName: String(properties.TableName) };
    });

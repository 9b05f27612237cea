import { describe, expect, it } from 'vitest';
import type { CloudFormationTemplate } from '../../../scripts/deploy/cloudFormationTemplate.js';
import { holdBackDeletionProtection, protectedTableIds } from '../../../scripts/deploy/tableDeletionProtection.js';

const template = (deletionProtection: unknown): CloudFormationTemplate => ({
  Resources: {
    EventsTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { TableName: 'app-prod-events', DeletionProtectionEnabled: deletionProtection as string },
    },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
});

describe('holdBackDeletionProtection', () => {
  it('creates a new table unprotected, so that a rollback can delete it, and names it to protect after', () => {
    const firstDeploy = template('true');

    const heldBack = holdBackDeletionProtection(firstDeploy, new Set());

    expect(heldBack).toEqual([{ logicalId: 'EventsTable', tableName: 'app-prod-events' }]);
    expect(firstDeploy.Resources.EventsTable?.Properties?.DeletionProtectionEnabled).toBe(false);
  });

  it('leaves the protection of a table the stack already holds as the settings say', () => {
    const laterDeploy = template(true);

    expect(holdBackDeletionProtection(laterDeploy, new Set(['EventsTable']))).toEqual([]);
    expect(laterDeploy.Resources.EventsTable?.Properties?.DeletionProtectionEnabled).toBe(true);
  });

  it('holds back nothing for a table the settings leave unprotected', () => {
    expect(protectedTableIds(template('false'))).toEqual([]);
    expect(holdBackDeletionProtection(template('false'), new Set())).toEqual([]);
  });
});

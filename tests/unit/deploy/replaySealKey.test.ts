import { describe, expect, it } from 'vitest';
import type { CloudFormationTemplate, TemplateValue } from '../../../scripts/deploy/cloudFormationTemplate.js';
import { sealReplayRecords } from '../../../scripts/deploy/replaySealKey.js';

const functionWith = (variables: Record<string, TemplateValue>) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Environment: { Variables: variables } },
});

describe('sealReplayRecords', () => {
  it("hands the stack's secret to the webhook and the redrive as a dynamic reference, and to no other function", () => {
    const template: CloudFormationTemplate = {
      Resources: {
        ReplaySealKey: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
        WebhookLambdaFunction: functionWith({ REPLAY_SEAL_KEY: '', TABLE_NAME: 'events' }),
        RedriveLambdaFunction: functionWith({ REPLAY_SEAL_KEY: '' }),
        GroupsLambdaFunction: functionWith({ TABLE_NAME: 'events' }),
      },
    };

    sealReplayRecords(template);

    const reference = { 'Fn::Sub': '{{resolve:secretsmanager:${ReplaySealKey}:SecretString}}' };
    expect(template.Resources.WebhookLambdaFunction?.Properties).toEqual({
      Environment: { Variables: { REPLAY_SEAL_KEY: reference, TABLE_NAME: 'events' } },
    });
    expect(template.Resources.RedriveLambdaFunction?.Properties).toEqual({
      Environment: { Variables: { REPLAY_SEAL_KEY: reference } },
    });
    expect(template.Resources.GroupsLambdaFunction?.Properties).toEqual({
      Environment: { Variables: { TABLE_NAME: 'events' } },
    });
  });

  it('leaves a template without the secret as it is', () => {
    const template: CloudFormationTemplate = {
      Resources: { WebhookLambdaFunction: functionWith({ REPLAY_SEAL_KEY: '' }) },
    };
    sealReplayRecords(template);
    expect(template.Resources.WebhookLambdaFunction?.Properties).toEqual({
      Environment: { Variables: { REPLAY_SEAL_KEY: '' } },
    });
  });

  it('stops the package when a function that seals has no environment to take the key', () => {
    const template: CloudFormationTemplate = {
      Resources: {
        ReplaySealKey: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
        WebhookLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
        RedriveLambdaFunction: functionWith({}),
      },
    };
    expect(() => sealReplayRecords(template)).toThrow(
      'WebhookLambdaFunction has no environment to hand the seal key to',
    );
  });
});

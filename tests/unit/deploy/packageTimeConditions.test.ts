import { describe, expect, it } from 'vitest';
import type { CloudFormationTemplate } from '../../../scripts/deploy/cloudFormationTemplate.js';
import { resolvePackageTimeConditions } from '../../../scripts/deploy/packageTimeConditions.js';

const noValue = { Ref: 'AWS::NoValue' };
const isSet = (setting: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [setting, ''] }] });

describe('resolvePackageTimeConditions', () => {
  it('keeps the branch taken, leaves out a property or item whose branch is AWS::NoValue, and the condition', () => {
    const template: CloudFormationTemplate = {
      Conditions: { HasCap: isSet('1000'), HasConcurrency: isSet('') },
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            OnDemandThroughput: { 'Fn::If': ['HasCap', { MaxReadRequestUnits: '1000' }, noValue] },
            Tags: [
              { 'Fn::If': ['HasConcurrency', { Key: 'reserved', Value: 'yes' }, noValue] },
              { Key: 'k', Value: 'v' },
            ],
          },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: { ReservedConcurrentExecutions: { 'Fn::If': ['HasConcurrency', '', noValue] } },
        },
      },
    };

    const decisions = resolvePackageTimeConditions(template);

    expect(Object.fromEntries(decisions)).toEqual({ HasCap: true, HasConcurrency: false });
    expect(template).toEqual({
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { OnDemandThroughput: { MaxReadRequestUnits: '1000' }, Tags: [{ Key: 'k', Value: 'v' }] },
        },
        Function: { Type: 'AWS::Lambda::Function', Properties: {} },
      },
    });
  });

  it('leaves out a resource or output under a false condition, and makes one under a true one unconditional', () => {
    const template: CloudFormationTemplate = {
      Conditions: {
        HasEmail: isSet(''),
        HasToken: { 'Fn::And': [isSet('/p'), { 'Fn::Not': [{ Condition: 'HasEmail' }] }] },
      },
      Resources: {
        Subscription: { Type: 'AWS::SNS::Subscription', Condition: 'HasEmail', Properties: {} },
        Parameter: { Type: 'AWS::SSM::Parameter', Condition: 'HasToken', Properties: {} },
      },
      Outputs: { Email: { Condition: 'HasEmail', Value: 'x' } },
    };

    resolvePackageTimeConditions(template);

    expect(template).toEqual({
      Resources: { Parameter: { Type: 'AWS::SSM::Parameter', Properties: {} } },
      Outputs: {},
    });
  });

  it('leaves to CloudFormation a condition that reads a reference, and each Fn::If on it', () => {
    const inChina = { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] };
    const template: CloudFormationTemplate = {
      Conditions: {
        InChina: inChina,
        HasCap: isSet('5'),
        ChinaWithCap: { 'Fn::And': [{ Condition: 'InChina' }, { Condition: 'HasCap' }] },
      },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::If': ['InChina', 'cn', 'global'] } } },
      },
    };

    const decisions = resolvePackageTimeConditions(template);

    expect(Object.fromEntries(decisions)).toEqual({ HasCap: true });
    // HasCap stays while the undecided ChinaWithCap names it.
    expect(template.Conditions).toEqual({
      InChina: inChina,
      HasCap: isSet('5'),
      ChinaWithCap: { 'Fn::And': [{ Condition: 'InChina' }, { Condition: 'HasCap' }] },
    });
    expect(template.Resources.Topic?.Properties?.DisplayName).toEqual({ 'Fn::If': ['InChina', 'cn', 'global'] });
  });

  it('changes nothing in a template without conditions', () => {
    const template: CloudFormationTemplate = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };

    expect(resolvePackageTimeConditions(template).size).toBe(0);
    expect(template).toEqual({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
  });
});

import { describe, expect, it } from 'vitest';
import type { CloudFormationTemplate } from '../../../scripts/deploy/cloudFormationTemplate.js';
import { dropRedundantDependsOn } from '../../../scripts/deploy/redundantDependsOn.js';

describe('dropRedundantDependsOn', () => {
  it('leaves out what a Ref, Fn::GetAtt or Fn::Sub of the resource implies, and keeps every other DependsOn', () => {
    const template: CloudFormationTemplate = {
      Resources: {
        Function: {
          Type: 'AWS::Lambda::Function',
          DependsOn: ['LogGroup', 'Role'],
          Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } },
        },
        Route: {
          Type: 'AWS::ApiGatewayV2::Route',
          DependsOn: 'Integration',
          Properties: { Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'Integration' }]] } },
        },
        Stage: {
          Type: 'AWS::ApiGatewayV2::Stage',
          DependsOn: ['AccessLog', 'Api'],
          Properties: { Format: { 'Fn::Sub': '${AccessLog.Arn} ${AWS::Region} ${!Api}' } },
        },
        Alarm: {
          Type: 'AWS::CloudWatch::Alarm',
          DependsOn: ['Topic'],
          Properties: { Actions: { 'Fn::If': ['Condition', [{ Ref: 'Topic' }], []] } },
        },
      },
    };

    dropRedundantDependsOn(template);

    expect(template.Resources.Function?.DependsOn).toEqual(['LogGroup']);
    expect(template.Resources.Route).not.toHaveProperty('DependsOn');
    // `${!Api}` is the literal text ${Api}: no reference.
    expect(template.Resources.Stage?.DependsOn).toEqual(['Api']);
    // A reference in a branch that may not be taken implies nothing.
    expect(template.Resources.Alarm?.DependsOn).toEqual(['Topic']);
  });
});

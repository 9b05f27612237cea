import type { CloudFormationTemplate } from './cloudFormationTemplate.js';
import { addForwardTargets } from './forwardToResources.js';
import type { ForwardTarget } from './forwardToSetting.js';
import { resolvePackageTimeConditions } from './packageTimeConditions.js';
import { dropRedundantDependsOn } from './redundantDependsOn.js';
import { sealReplayRecords } from './replaySealKey.js';
import { DASHBOARD_LOGICAL_ID, DASHBOARD_URL_OUTPUT, stackDashboard } from './stackDashboard.js';

export interface FinishTemplateOptions {
  service: string;
  stage: string;
  region: string;
  metricsNamespace: string;
  /** The `source` of the published events (the eventSource setting). */
  eventSource: string;
  /** The forwardTo setting, read and checked (forwardToSetting.ts). */
  forwardTo: readonly ForwardTarget[];
}

/**
 * What the plugin does to the template Serverless compiled, once serverless.yml's resources are merged into it:
 * decides the package-time conditions, hands the seal key to the functions, adds each forwardTo endpoint's
 * resources and the dashboard, leaves out the redundant `DependsOn` entries. The result is the template
 * CloudFormation receives, and cfn-lint reads clean
 * (tests/integration/serverlessTemplate).
 */
export const finishTemplate = (template: CloudFormationTemplate, options: FinishTemplateOptions): void => {
  resolvePackageTimeConditions(template);
  sealReplayRecords(template);
  addForwardTargets(template, options.forwardTo, options);
  const alarmLogicalIds = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId]) => logicalId);
  const { resource, output } = stackDashboard({
    dashboardName: `${options.service}-${options.stage}`,
    metricsNamespace: options.metricsNamespace,
    region: options.region,
    alarmLogicalIds,
  });
  template.Resources[DASHBOARD_LOGICAL_ID] = resource;
  template.Outputs = { ...template.Outputs, [DASHBOARD_URL_OUTPUT]: output };
  dropRedundantDependsOn(template);
};

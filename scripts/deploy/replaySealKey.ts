import { type CloudFormationTemplate, isTemplateObject } from './cloudFormationTemplate.js';

export const REPLAY_SEAL_KEY_LOGICAL_ID = 'ReplaySealKey';
/** The functions that seal replay records (the webhook) and check their seals (the redrive). */
export const SEALING_FUNCTION_LOGICAL_IDS = ['WebhookLambdaFunction', 'RedriveLambdaFunction'] as const;

/**
 * Hands the stack's generated ReplaySealKey secret to the webhook and the redrive as REPLAY_SEAL_KEY, by a dynamic
 * reference that CloudFormation resolves when it deploys the functions: the key is in no template and no file,
 * and a function reads it at cold start from its environment, with no call that could fail (a seal is due exactly
 * when other reads fail). serverless.yml cannot say this for deployed stages only: the local stage takes the
 * variable from the shell.
 */
export const sealReplayRecords = (template: CloudFormationTemplate): void => {
  if (template.Resources[REPLAY_SEAL_KEY_LOGICAL_ID] === undefined) return;
  const reference = { 'Fn::Sub': `{{resolve:secretsmanager:\${${REPLAY_SEAL_KEY_LOGICAL_ID}}:SecretString}}` };
  for (const logicalId of SEALING_FUNCTION_LOGICAL_IDS) {
    const properties = template.Resources[logicalId]?.Properties;
    const environment = properties?.Environment;
    const variables = isTemplateObject(environment) ? environment.Variables : undefined;
    if (!isTemplateObject(variables)) throw new Error(`${logicalId} has no environment to hand the seal key to`);
    variables.REPLAY_SEAL_KEY = reference;
  }
};

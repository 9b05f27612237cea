/**
 * The packaged CloudFormation template as the template tests read it. Its values are JSON that the tests reach
 * by path and check with assertions, so they are typed loosely, once, here.
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON from `serverless package`, read by path in the tests
export type TemplateJson = any;

export interface Resource {
  Type: string;
  Properties: Record<string, TemplateJson>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
  DependsOn?: string[];
}

export interface Template {
  Resources: Record<string, Resource>;
  Conditions: Record<string, unknown>;
  Outputs: Record<string, { Value: unknown }>;
}

/** A CloudFormation template as Serverless compiles it: plain JSON, read and changed in place by the plugin. */
export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, TemplateValue>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  [attribute: string]: TemplateValue | undefined;
}

export interface TemplateOutput {
  Value: TemplateValue;
  Description?: string;
  Condition?: string;
  [attribute: string]: TemplateValue | undefined;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Conditions?: Record<string, TemplateValue>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

export const isTemplateObject = (value: TemplateValue | undefined): value is { [key: string]: TemplateValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ "Ref": "AWS::NoValue" }`: the property, or list item, is left out. */
export const isNoValue = (value: TemplateValue | undefined): boolean =>
  isTemplateObject(value) && Object.keys(value).length === 1 && value.Ref === 'AWS::NoValue';

import { type CloudFormationTemplate, isTemplateObject, type TemplateValue } from './cloudFormationTemplate.js';

/**
 * Serverless writes `DependsOn` entries that a `Ref` or `Fn::GetAtt` of the same resource already imply (a
 * function on its role, a route on its integration, the HTTP API's stage on its log group). CloudFormation orders
 * the resources the same without them; cfn-lint warns on each (W3005). This leaves out only those: a `DependsOn`
 * that no reference implies (a function on its log group, which it names only by convention) stays.
 */

/** `${Name}` and `${Name.Attribute}` in an `Fn::Sub` string, not `${AWS::Region}` nor the literal `${!Name}`. */
const subReferences = (text: string): string[] =>
  [...text.matchAll(/\$\{([^!}][^}]*)\}/g)]
    .map(([, reference = '']) => reference.split('.')[0] ?? '')
    .filter((name) => name !== '' && !name.includes('::'));

/** The logical ids `value` refers to, outside `Fn::If` (whose branch may not be taken). */
const referencesIn = (value: TemplateValue, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
    return found;
  }
  if (!isTemplateObject(value)) return found;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'Fn::If') continue;
    if (key === 'Ref' && typeof item === 'string') found.add(item);
    else if (key === 'Fn::GetAtt' && Array.isArray(item) && typeof item[0] === 'string') found.add(item[0]);
    else if (key === 'Fn::GetAtt' && typeof item === 'string') found.add(item.split('.')[0] ?? item);
    else if (key === 'Fn::Sub' && typeof item === 'string') for (const name of subReferences(item)) found.add(name);
    else if (key === 'Fn::Sub' && Array.isArray(item) && typeof item[0] === 'string') {
      for (const name of subReferences(item[0])) found.add(name);
      referencesIn(item[1] ?? null, found);
    } else referencesIn(item, found);
  }
  return found;
};

/** Leaves out, in place, each `DependsOn` entry that the resource's own references already imply. */
export const dropRedundantDependsOn = (template: CloudFormationTemplate): void => {
  for (const resource of Object.values(template.Resources)) {
    if (resource.DependsOn === undefined) continue;
    const implied = referencesIn(resource.Properties ?? {});
    const kept = [resource.DependsOn].flat().filter((name) => !implied.has(name));
    if (kept.length === 0) delete resource.DependsOn;
    else resource.DependsOn = kept;
  }
};

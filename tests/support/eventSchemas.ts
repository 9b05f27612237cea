import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { DetailType, type GroupEventDetail } from '../../lib/fanOut/publishedEvent.js';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';

/** docs/events/*.schema.json by the detail type each documents. */
const schemaFiles = {
  [DetailType['Group.CallbackAfterGroupFull']]: 'group-full.schema.json',
  [DetailType['Group.CallbackAfterGroupDestroyed']]: 'group-disbanded.schema.json',
  [DetailType['Group.CallbackAfterGroupAttrChanged']]: 'group-attributes-changed.schema.json',
};
const ajv = new Ajv2020({ allErrors: true });
const validators = Object.fromEntries(
  Object.entries(schemaFiles).map(([detailType, file]) => [
    detailType,
    ajv.compile(JSON.parse(readFileSync(join(repositoryRoot, 'docs', 'events', file), 'utf8'))),
  ]),
);

/** The detail, held to the JSON Schema of its detail type (the schema's complaints fail the test). */
export const documentedDetail = (detailType: string | undefined, detailJson: string): GroupEventDetail => {
  const detail = JSON.parse(detailJson) as GroupEventDetail;
  const validate = validators[detailType ?? ''];
  expect(validate, `a schema for ${detailType}`).toBeDefined();
  expect(validate?.(detail) ? [] : validate?.errors).toEqual([]);
  return detail;
};

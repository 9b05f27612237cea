import { InputLimit } from '../webhook/constants.js';
import { groupEventFrom, optionalListOf, optionalString, readGroupPayload, requiredString } from './payload.js';
import type { CommandHandler } from './types.js';

/**
 * Group.CallbackAfterGroupAttrChanged: custom group attributes were set (replace all), modified (upsert),
 * deleted (listed keys) or cleared. OptionType is kept as sent so a value Tencent adds later is not refused.
 */
export const recordGroupAttrChanged: CommandHandler = (delivery) => {
  const { body } = delivery;
  const payload = readGroupPayload(body);
  return groupEventFrom(delivery, payload, {
    groupType: optionalString(body, 'Type', InputLimit.textLength),
    operatorAccount: optionalString(body, 'Operator_Account', InputLimit.accountLength),
    optionType: optionalString(body, 'OptionType', InputLimit.textLength),
    groupAttr: optionalListOf(body, 'GroupAttr', (attribute, path) => ({
      key: requiredString(attribute, 'key', InputLimit.attributeKeyLength, `${path}.key`),
      value: requiredString(attribute, 'value', InputLimit.attributeValueLength, `${path}.value`),
    })),
  });
};

import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, readGroupPayload } from './groupPayload.js';
import { optionalListOf, optionalString, requiredString } from './payloadFields.js';

/**
 * Group.CallbackAfterGroupAttrChanged: custom group attributes were set (replace all), modified (upsert),
 * deleted (listed keys) or cleared. OptionType is kept as sent so a value Tencent adds later is not refused.
 */
export const recordGroupAttrChanged: CommandHandler = (delivery) => {
  const { body } = delivery;
  const payload = readGroupPayload(body);
  return groupEventFrom(delivery, payload, {
    groupType: optionalString(body, 'Type'),
    operatorAccount: optionalString(body, 'Operator_Account'),
    optionType: optionalString(body, 'OptionType'),
    groupAttr: optionalListOf(body, 'GroupAttr', (attribute, path) => ({
      key: requiredString(attribute, 'key', `${path}.key`),
      value: requiredString(attribute, 'value', `${path}.value`),
    })),
  });
};

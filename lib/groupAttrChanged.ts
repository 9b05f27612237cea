import * as z from 'zod/mini';
import type { CommandHandler } from './commandHandler.js';
import { boundedString, groupEventFrom, groupPayloadShape, parseGroupPayload } from './groupPayload.js';
import { InputLimit } from './inputLimits.js';

/**
 * Group.CallbackAfterGroupAttrChanged: custom group attributes were set (replace all), modified (upsert),
 * deleted (listed keys) or cleared. OptionType is kept as sent so a value Tencent adds later is not refused.
 */
const groupAttrChangedPayload = z.object({
  ...groupPayloadShape,
  Type: z.optional(boundedString(InputLimit.textLength)),
  Operator_Account: z.optional(boundedString(InputLimit.accountLength)),
  OptionType: z.optional(boundedString(InputLimit.textLength)),
  GroupAttr: z.optional(
    z.array(
      z.object({
        key: boundedString(InputLimit.attributeKeyLength),
        value: boundedString(InputLimit.attributeValueLength),
      }),
    ),
  ),
});

export const recordGroupAttrChanged: CommandHandler = (delivery) => {
  const payload = parseGroupPayload(groupAttrChangedPayload, delivery.body);
  return groupEventFrom(delivery, payload, {
    groupType: payload.Type,
    operatorAccount: payload.Operator_Account,
    optionType: payload.OptionType,
    groupAttr: payload.GroupAttr?.map(({ key, value }) => ({ key, value })),
  });
};

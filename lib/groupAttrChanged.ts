import * as z from 'zod/mini';
import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, groupPayloadShape, parseGroupPayload } from './groupPayload.js';

/**
 * Group.CallbackAfterGroupAttrChanged: custom group attributes were set (replace all), modified (upsert),
 * deleted (listed keys) or cleared. OptionType is kept as sent so a value Tencent adds later is not refused.
 */
const groupAttrChangedPayload = z.object({
  ...groupPayloadShape,
  Type: z.optional(z.string()),
  Operator_Account: z.optional(z.string()),
  OptionType: z.optional(z.string()),
  GroupAttr: z.optional(z.array(z.object({ key: z.string(), value: z.string() }))),
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

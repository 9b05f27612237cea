import * as z from 'zod/mini';
import type { CommandHandler } from './commandHandler.js';
import { boundedString, groupEventFrom, groupPayloadShape, parseGroupPayload } from './groupPayload.js';
import { InputLimit } from './inputLimits.js';

/** Group.CallbackAfterGroupDestroyed: a group was disbanded. Community groups send no MemberList. */
const groupDestroyedPayload = z.object({
  ...groupPayloadShape,
  Type: z.optional(boundedString(InputLimit.textLength)),
  Owner_Account: z.optional(boundedString(InputLimit.accountLength)),
  Name: z.optional(boundedString(InputLimit.textLength)),
  MemberList: z.optional(z.array(z.object({ Member_Account: boundedString(InputLimit.accountLength) }))),
});

export const recordGroupDestroyed: CommandHandler = (delivery) => {
  const payload = parseGroupPayload(groupDestroyedPayload, delivery.body);
  return groupEventFrom(delivery, payload, {
    groupType: payload.Type,
    ownerAccount: payload.Owner_Account,
    groupName: payload.Name,
    memberAccounts: payload.MemberList?.map((member) => member.Member_Account),
  });
};

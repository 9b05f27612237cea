import * as z from 'zod/mini';
import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, groupPayloadShape, parseGroupPayload } from './groupPayload.js';

/** Group.CallbackAfterGroupDestroyed: a group was disbanded. Community groups send no MemberList. */
const groupDestroyedPayload = z.object({
  ...groupPayloadShape,
  Type: z.optional(z.string()),
  Owner_Account: z.optional(z.string()),
  Name: z.optional(z.string()),
  MemberList: z.optional(z.array(z.object({ Member_Account: z.string() }))),
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

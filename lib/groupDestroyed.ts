import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, readGroupPayload } from './groupPayload.js';
import { InputLimit } from './inputLimits.js';
import { optionalListOf, optionalString, requiredString } from './payloadFields.js';

/** Group.CallbackAfterGroupDestroyed: a group was disbanded. Community groups send no MemberList. */
export const recordGroupDestroyed: CommandHandler = (delivery) => {
  const { body } = delivery;
  const payload = readGroupPayload(body);
  return groupEventFrom(delivery, payload, {
    groupType: optionalString(body, 'Type', InputLimit.textLength),
    ownerAccount: optionalString(body, 'Owner_Account', InputLimit.accountLength),
    groupName: optionalString(body, 'Name', InputLimit.textLength),
    memberAccounts: optionalListOf(body, 'MemberList', (member, path) =>
      requiredString(member, 'Member_Account', InputLimit.accountLength, `${path}.Member_Account`),
    ),
  });
};

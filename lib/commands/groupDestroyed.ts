import { InputLimit } from '../webhook/constants.js';
import { groupEventFrom, optionalListOf, optionalString, readGroupPayload, requiredString } from './payload.js';
import type { CommandHandler } from './types.js';

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

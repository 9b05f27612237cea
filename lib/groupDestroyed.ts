import type { CommandHandler } from './commandHandler.js';
import { groupEventFrom, readGroupPayload } from './groupPayload.js';
import { optionalListOf, optionalString, requiredString } from './payloadFields.js';

/** Group.CallbackAfterGroupDestroyed: a group was disbanded. Community groups send no MemberList. */
export const recordGroupDestroyed: CommandHandler = (delivery) => {
  const { body } = delivery;
  const payload = readGroupPayload(body);
  return groupEventFrom(delivery, payload, {
    groupType: optionalString(body, 'Type'),
    ownerAccount: optionalString(body, 'Owner_Account'),
    groupName: optionalString(body, 'Name'),
    memberAccounts: optionalListOf(body, 'MemberList', (member, path) =>
      requiredString(member, 'Member_Account', `${path}.Member_Account`),
    ),
  });
};

import type { CommandHandler } from './delivery.js';
import { InputLimit } from './limits.js';
import { groupEventFrom, readEntries, readEntryText, readGroupPayload, readList, readText } from './payload.js';
import { ShapeNotes } from './shapeNotes.js';

/**
 * Group.CallbackAfterGroupDestroyed: a group was disbanded. Community groups send no MemberList. `memberCount`
 * is the list's length, kept even when the list itself is too large for the event item (see the event store).
 */
export const recordGroupDestroyed: CommandHandler = (delivery) => {
  const { body } = delivery;
  const notes = new ShapeNotes();
  const payload = readGroupPayload(delivery, notes);
  const memberList = readList(body, 'MemberList', notes);
  return groupEventFrom(
    delivery,
    payload,
    {
      groupType: readText(body, 'Type', InputLimit.textLength, notes),
      ownerAccount: readText(body, 'Owner_Account', InputLimit.accountLength, notes),
      operatorAccount: readText(body, 'Operator_Account', InputLimit.accountLength, notes),
      groupName: readText(body, 'Name', InputLimit.textLength, notes),
      memberCount: memberList?.length,
      memberAccounts:
        memberList &&
        readEntries(memberList, 'MemberList', notes, (member, path) =>
          readEntryText(member, 'Member_Account', InputLimit.accountLength, notes, `${path}.Member_Account`),
        ),
    },
    notes,
  );
};

/** The CallbackCommand values this receiver records; every other command is acknowledged and ignored. */
export const GroupCommand = {
  GroupFull: 'Group.CallbackAfterGroupFull',
  GroupDestroyed: 'Group.CallbackAfterGroupDestroyed',
  GroupAttrChanged: 'Group.CallbackAfterGroupAttrChanged',
} as const;

export type GroupCommandName = (typeof GroupCommand)[keyof typeof GroupCommand];

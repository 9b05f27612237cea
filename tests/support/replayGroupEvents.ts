import type { GroupStateView, StateMergeInput } from '../../lib/groupState/fold.js';
import { GroupCommand } from '../../lib/tencent/commands.js';

/**
 * The specification the merge is tested against, written as plainly as possible: sort the distinct events
 * by sort key (EventTime, then deliveryId) and apply each in turn, as docs/tencent-protocol.md describes.
 */
export const replayGroupEvents = (deliveries: readonly StateMergeInput[]): GroupStateView => {
  const distinct = [...new Map(deliveries.map((event) => [event.sortKey, event])).values()].sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0,
  );
  const first = distinct[0];
  if (first === undefined) throw new Error('replay needs at least one event');
  const state: GroupStateView = {
    groupId: first.groupId,
    type: null,
    name: null,
    owner: null,
    destroyed: false,
    destroyedAt: null,
    lastFullAt: null,
    fullCount: 0,
    attributes: {},
    lastEventTime: first.eventTime,
    eventCount: distinct.length,
  };
  let attributes = new Map<string, string>();
  for (const event of distinct) {
    state.lastEventTime = event.eventTime;
    if (event.groupType !== undefined) state.type = event.groupType;
    if (event.groupName !== undefined) state.name = event.groupName;
    if (event.ownerAccount !== undefined) state.owner = event.ownerAccount;
    if (event.command === GroupCommand.GroupFull && event.topicId === undefined) {
      state.fullCount += 1;
      state.lastFullAt = event.eventTime;
    }
    if (event.command === GroupCommand.GroupDestroyed && !state.destroyed) {
      state.destroyed = true;
      state.destroyedAt = event.eventTime;
    }
    if (event.command === GroupCommand.GroupAttrChanged) {
      const listed = (event.groupAttr ?? []).filter(({ key }) => key !== '');
      if (event.optionType === 'set') attributes = new Map();
      if (event.optionType === 'clear') attributes = new Map();
      for (const { key, value } of listed) {
        if ((event.optionType === 'set' || event.optionType === 'modify') && value !== undefined)
          attributes.set(key, value);
        if (event.optionType === 'delete') attributes.delete(key);
      }
    }
  }
  state.attributes = Object.fromEntries([...attributes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return state;
};

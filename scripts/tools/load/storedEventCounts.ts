import { sendConcurrently } from './loadClient.js';

export interface StoredEventCounts {
  /** Events stored per group (0 for a group with none). */
  counts: Map<string, number>;
  /** Groups whose events could not be read, with the answer. */
  unreadable: { groupId: string; answer: string }[];
}

const eventsOf = (status: number, body: string): { groupId?: string }[] | undefined => {
  if (status !== 200) return undefined;
  try {
    return (JSON.parse(body) as { events?: { groupId?: string }[] }).events;
  } catch {
    return undefined;
  }
};

/** Enough for "once" to be told from "twice": a run stores at most one event per group. */
const EVENTS_PER_GROUP_READ = 10;

/**
 * How many events each group has, read back through the read API (GET /groups/{groupId}/events), which a
 * local server serves unsigned: the same check whatever store the server uses.
 */
export const storedEventCounts = async ({
  groupsUrl,
  groupIds,
  connections,
}: {
  groupsUrl: URL;
  groupIds: readonly string[];
  connections: number;
}): Promise<StoredEventCounts> => {
  const base = groupsUrl.pathname.replace(/\/$/, '');
  const { answers } = await sendConcurrently({
    origin: groupsUrl.origin,
    items: groupIds,
    connections,
    toRequest: (groupId) => ({
      path: `${base}/${encodeURIComponent(groupId)}/events?limit=${EVENTS_PER_GROUP_READ}`,
    }),
  });
  const counts = new Map<string, number>();
  const unreadable: StoredEventCounts['unreadable'] = [];
  for (const { item: groupId, status, body } of answers) {
    const events = eventsOf(status, body);
    if (events === undefined) unreadable.push({ groupId, answer: `${status} ${body.slice(0, 200)}` });
    else counts.set(groupId, events.filter((event) => event.groupId === groupId).length);
  }
  return { counts, unreadable };
};

/**
 * The version of the merge (lib/groupState/merge.ts) and of the state item's layout. Every state item
 * carries the version that wrote it; an item of another version is never merged into, its group is
 * replayed from its events instead. Bump this with any change to what the merge computes or keeps, then
 * roll the change out with `npm run rebuild-state -- --all` (or let each group's next event replay it).
 *
 * 1: items without `mergeVersion` (group-full deliveries remembered by deliveryId).
 * 2: `eventCount`, the newest events' sort keys remembered, attribute values stored once, bounded size.
 */
export const MERGE_VERSION = 2;

/**
 * How long a body part may live before its event item commits it. Parts are written before their event item (the
 * commit point), so a crash between the two leaves parts that nothing reads: each part is written with `expiresAt`
 * (the table's TTL attribute) at most this long after the write, and the table stream's consumer then commits the
 * parts of each new event item (lib/eventStore/bodyPartsCommit.ts): from then on they expire with their event, or
 * never. A week: the stream retries a record for up to 24 h (maximumRecordAgeInSeconds), and an operator has the
 * rest of the week to answer the group-state alarms with `npm run rebuild-state`, which commits them too.
 */
export const UNCOMMITTED_BODY_PART_LIFETIME_SECONDS = 7 * 86_400;

/**
 * The `expiresAt` (epoch seconds) of a part written at `writtenAtMs`: the uncommitted lifetime from the write (not
 * from the receipt: a replay writes with the original receive time), or its event's own expiry when that is sooner.
 */
export const uncommittedBodyPartExpiresAt = (writtenAtMs: number, eventExpiresAt: number | undefined): number => {
  const lifetimeEnd = Math.floor(writtenAtMs / 1000) + UNCOMMITTED_BODY_PART_LIFETIME_SECONDS;
  return eventExpiresAt === undefined ? lifetimeEnd : Math.min(eventExpiresAt, lifetimeEnd);
};

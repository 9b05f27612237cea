import { describe, expect, it } from 'vitest';
import {
  UNCOMMITTED_BODY_PART_LIFETIME_SECONDS,
  uncommittedBodyPartExpiresAt,
} from '../../../lib/eventStore/bodyPartExpiry.js';
import streamEventSource from '../../../lib/groupState/streamEventSource.json' with { type: 'json' };

describe('uncommittedBodyPartExpiresAt', () => {
  it('is a week after the write, in epoch seconds, without a retention', () => {
    expect(uncommittedBodyPartExpiresAt(1_763_800_000_999, undefined)).toBe(1_763_800_000 + 7 * 86_400);
  });

  it("is the event's own expiry when that comes first, else the week", () => {
    expect(uncommittedBodyPartExpiresAt(1_763_800_000_000, 1_763_800_000 + 86_400)).toBe(1_763_800_000 + 86_400);
    expect(uncommittedBodyPartExpiresAt(1_763_800_000_000, 1_763_800_000 + 30 * 86_400)).toBe(
      1_763_800_000 + 7 * 86_400,
    );
  });

  it("outlasts the stream's retries of a record by days: the consumer commits the parts before they expire", () => {
    expect(UNCOMMITTED_BODY_PART_LIFETIME_SECONDS).toBeGreaterThanOrEqual(
      streamEventSource.maximumRecordAgeInSeconds + 5 * 86_400,
    );
  });
});

import { randomUUID } from 'node:crypto';
import type { AcceptedEntry } from './putEventsEntry.js';

/** The account every event of the local bus comes from, as LocalStack and the SDK's docs use. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** An event as EventBridge hands it to rules and targets. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** ISO 8601 to the second, as EventBridge writes `time`: `2024-05-01T12:00:00Z`. */
export const eventBridgeTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const entryTime = (time: AcceptedEntry['time'], now: Date): Date => {
  if (time === undefined) return now;
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? now : date;
};

/** The envelope of one accepted entry: its Time or now, its resources or none. */
export const eventEnvelopeOf = (
  entry: AcceptedEntry,
  where: { region: string; account?: string; now?: Date },
): EventEnvelope => ({
  version: '0',
  id: randomUUID(),
  'detail-type': entry.detailType,
  source: entry.source,
  account: where.account ?? LOCAL_ACCOUNT_ID,
  time: eventBridgeTime(entryTime(entry.time, where.now ?? new Date())),
  region: where.region,
  resources: entry.resources,
  detail: entry.detail,
});

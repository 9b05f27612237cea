/** One entry of a PutEvents request as the SDK sends it over AWS JSON 1.1 (`Time` in epoch seconds). */
export interface PutEventsRequestEntry {
  Time?: number | string;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

/** The size EventBridge allows the entries of one PutEvents call, together. */
export const PUT_EVENTS_SIZE_LIMIT_BYTES = 256 * 1024;
export const MAX_ENTRIES_PER_PUT_EVENTS = 10;

const utf8Bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/**
 * An entry's size as EventBridge computes it: 14 bytes for a Time, then the UTF-8 bytes of Source, DetailType,
 * Detail and each resource. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((total, resource) => total + utf8Bytes(resource), 0);

/** An entry EventBridge accepts, its Detail parsed. */
export interface AcceptedEntry {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  time?: number | string;
  resources: string[];
}

export type CheckedEntry =
  | { accepted: true; entry: AcceptedEntry }
  | { accepted: false; errorCode: 'InvalidArgument' | 'MalformedDetail'; errorMessage: string };

const invalidArgument = (parameter: string, reason: string): CheckedEntry => ({
  accepted: false,
  errorCode: 'InvalidArgument',
  errorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

const parsedDetail = (detail: string): Record<string, unknown> | undefined => {
  try {
    const parsed = JSON.parse(detail) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** What EventBridge answers for one entry it checks on its own: the entry's fields, its Detail a JSON object. */
export const checkPutEventsEntry = (entry: PutEventsRequestEntry): CheckedEntry => {
  if (typeof entry.Source !== 'string' || entry.Source === '')
    return invalidArgument('Source', 'Source is a required argument.');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '')
    return invalidArgument('DetailType', 'DetailType is a required argument.');
  if (typeof entry.Detail !== 'string' || entry.Detail === '')
    return invalidArgument('Detail', 'Detail is a required argument.');
  const detail = parsedDetail(entry.Detail);
  if (!detail) return { accepted: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  return {
    accepted: true,
    entry: {
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      time: entry.Time,
      resources: entry.Resources ?? [],
    },
  };
};

import * as z from 'zod/mini';
import { deliveryId } from './eventKey.js';
import { InputLimit } from './inputLimits.js';
import type { EventFieldValue, GroupEvent } from './groupEvent.js';
import type { RejectionReasonName } from './rejectionReasons.js';
import type { WebhookDelivery } from './webhookDelivery.js';
import { WebhookRejectedError } from './webhookRejectedError.js';

/** Latest EventTime accepted: 15 digits of ms (year 33658), which keeps every value a safe integer and the sort key fixed-width. */
const MAX_EVENT_TIME = 999_999_999_999_999;

/** Tencent documents EventTime as an Integer but its samples send a numeric string; older pages omit it. */
export const eventTimeSchema = z.optional(
  z.union([z.int().check(z.minimum(0), z.maximum(MAX_EVENT_TIME)), z.string().check(z.regex(/^\d{1,15}$/))]),
);

/** A string of bounded length, for the typed fields of each command. */
export const boundedString = (maxLength: number) => z.string().check(z.maxLength(maxLength));

/** Fields every group webhook carries. Objects are not strict: fields Tencent adds later pass through. */
export const groupPayloadShape = {
  GroupId: z.string().check(z.minLength(1), z.maxLength(InputLimit.groupIdLength)),
  EventTime: eventTimeSchema,
};

/** The common fields get their own reasons and messages; zod/mini ships no message texts of its own. */
const commonFieldRejections: Record<string, { reason: RejectionReasonName; message: string }> = {
  GroupId: {
    reason: 'GroupIdInvalid',
    message: `GroupId must be a non-empty string of at most ${InputLimit.groupIdLength} characters`,
  },
  EventTime: {
    reason: 'EventTimeInvalid',
    message: 'EventTime must be milliseconds since the epoch: an integer or a string of up to 15 digits',
  },
};

const describeIssue = (issue: z.core.$ZodIssue | undefined): string => {
  const path = issue?.path.map(String).join('.') || 'body';
  if (issue?.code === 'invalid_type') return `${path} must be of type ${issue.expected}`;
  if (issue?.code === 'too_big') return `${path} is too long (at most ${String(issue.maximum)})`;
  return `${path} is invalid`;
};

/** Validates a body against a command's schema; the rejection names the first offending field. */
export const parseGroupPayload = <Shape>(schema: z.ZodMiniType<Shape>, body: unknown): Shape => {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path[0];
  const common = typeof field === 'string' ? commonFieldRejections[field] : undefined;
  if (common) throw new WebhookRejectedError(common.reason, common.message);
  throw new WebhookRejectedError('PayloadInvalid', describeIssue(issue));
};

/** Builds the event to record from a delivery and the command's typed fields. */
export const groupEventFrom = (
  delivery: WebhookDelivery,
  payload: { GroupId: string; EventTime?: number | string | undefined },
  fields: Record<string, EventFieldValue | undefined>,
): GroupEvent => ({
  deliveryId: deliveryId(delivery.sdkAppId, delivery.command, delivery.body),
  sdkAppId: delivery.sdkAppId,
  command: delivery.command,
  groupId: payload.GroupId,
  eventTime: payload.EventTime === undefined ? undefined : Number(payload.EventTime),
  receivedAt: delivery.receivedAt,
  clientIp: delivery.clientIp,
  optPlatform: delivery.optPlatform,
  rawBody: delivery.rawBody,
  fields: withoutUndefined(fields),
});

const withoutUndefined = (fields: Record<string, EventFieldValue | undefined>): Record<string, EventFieldValue> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<
    string,
    EventFieldValue
  >;

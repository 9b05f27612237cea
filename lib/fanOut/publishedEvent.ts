/**
 * The event this receiver puts on its EventBridge bus for every newly recorded Tencent callback: what a consumer
 * (a rule, an API destination, a Lambda function) receives. docs/events.md documents it; docs/events/*.schema.json
 * are its JSON Schemas, one per detail type. Consumers may import these types.
 */
import { GroupCommand, type GroupCommandName } from '../tencent/commands.js';

/** The `source` of every published event unless the stage sets `eventSource`. */
export const DEFAULT_EVENT_SOURCE = 'tencent-chat.group-webhooks';

/** One `detail-type` per recorded command: what a rule matches on to take one kind of event. */
export const DetailType = {
  [GroupCommand.GroupFull]: 'Group full',
  [GroupCommand.GroupDestroyed]: 'Group disbanded',
  [GroupCommand.GroupAttrChanged]: 'Group attributes changed',
} as const satisfies Record<GroupCommandName, string>;

export type DetailTypeName = (typeof DetailType)[GroupCommandName];

/** A group attribute as the event carries it: `value` is absent for a keys-only `delete`. */
export type GroupAttribute = { key: string; value: string } | { key: string };

/** What every detail holds, whatever the command. */
interface CommonDetail {
  /** The group's ID, as Tencent sent it. */
  groupId: string;
  command: GroupCommandName;
  /** Tencent's EventTime in ms, or the receive time when Tencent sent none (`eventTimeSource: "received"`). */
  eventTime: number;
  eventTimeSource: 'tencent' | 'received';
  /** When the receiver got the callback, ms. */
  receivedAt: number;
  /**
   * Identifies the delivery across Tencent's retries and this bus's at-least-once publishing: a consumer that
   * has seen it drops the event.
   */
  deliveryId: string;
  sdkAppId: string;
  clientIp: string | null;
  optPlatform: string | null;
  /** Where something in the body did not match Tencent's documented shape (the event was recorded all the same). */
  shapeNotes?: string[];
  /** Typed fields left out of the recorded item because the body was too large; the body still has them. */
  typedFieldsOmitted?: string[];
  /**
   * The request body exactly as received, when the event fits EventBridge's 256 KB entry with it. Otherwise
   * absent, and `bodyPath` says where the read API serves it.
   */
  body?: string;
  /** The read API's path of this one event, body included (GET, IAM-signed): `/groups/{groupId}/events/{eventId}`. */
  bodyPath: string;
  /** Present (true) when `body` was left out for size. */
  bodyOmitted?: true;
}

export interface GroupFullDetail extends CommonDetail {
  command: typeof GroupCommand.GroupFull;
  /** Present when a Community topic is full, not the community. */
  topicId?: string;
}

export interface GroupDisbandedDetail extends CommonDetail {
  command: typeof GroupCommand.GroupDestroyed;
  groupType?: string;
  ownerAccount?: string;
  operatorAccount?: string;
  groupName?: string;
  memberCount?: number;
  memberAccounts?: string[];
}

export interface GroupAttributesChangedDetail extends CommonDetail {
  command: typeof GroupCommand.GroupAttrChanged;
  groupType?: string;
  operatorAccount?: string;
  /** `set`, `modify`, `delete` or `clear`, as Tencent sent it. */
  optionType?: string;
  groupAttr?: GroupAttribute[];
}

export type GroupEventDetail = GroupFullDetail | GroupDisbandedDetail | GroupAttributesChangedDetail;

/** An event as EventBridge delivers it to a target (an API destination receives this JSON as its body). */
export interface PublishedGroupEvent<Detail extends GroupEventDetail = GroupEventDetail> {
  version: '0';
  id: string;
  'detail-type': DetailTypeName;
  source: string;
  account: string;
  /** The event's time (`detail.eventTime`), to the second. */
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** The ID of one recorded event in the read API's path: its EventTime and deliveryId. */
export const eventIdOf = (eventTime: number, deliveryId: string): string => `${eventTime}-${deliveryId}`;

/** The read API's path of one recorded event. */
export const eventPathOf = (groupId: string, eventTime: number, deliveryId: string): string =>
  `/groups/${encodeURIComponent(groupId)}/events/${eventIdOf(eventTime, deliveryId)}`;

import { DEFAULT_EVENT_SOURCE } from './publishedEvent.js';

/** The bus of the `local` stage: what `npm start`'s local bus accepts entries for. */
export const LOCAL_EVENT_BUS_NAME = 'tencent-chat-webhooks-local';

/** The publisher's settings (docs/reference.md, "Settings"). */
export interface PublishSettings {
  /** EVENT_BUS_NAME: the stage's bus. */
  eventBusName: string;
  /** EVENT_SOURCE: every published event's `source`. */
  source: string;
  /** UNPUBLISHED_QUEUE_URL: where entries go that could not be published. */
  unpublishedQueueUrl: string;
}

export const readPublishSettings = (env: NodeJS.ProcessEnv = process.env): PublishSettings => ({
  eventBusName: env.EVENT_BUS_NAME?.trim() || LOCAL_EVENT_BUS_NAME,
  source: env.EVENT_SOURCE?.trim() || DEFAULT_EVENT_SOURCE,
  unpublishedQueueUrl: env.UNPUBLISHED_QUEUE_URL?.trim() ?? '',
});

/**
 * GROUP_STATE_UPDATES: where group state items are updated.
 * - `stream` (default, AWS): the `groupState` function consumes the table's DynamoDB stream; the webhook
 *   keeps doing exactly one write per event, well inside Tencent's 2-second window.
 * - `inline` (the `local` stage and the local scripts: dynalite has no streams): the webhook applies the
 *   same merge right after it recorded an event (never for a duplicate).
 */
export const GroupStateUpdates = { Stream: 'stream', Inline: 'inline' } as const;
export type GroupStateUpdatesName = (typeof GroupStateUpdates)[keyof typeof GroupStateUpdates];

export const readGroupStateUpdates = (env: NodeJS.ProcessEnv = process.env): GroupStateUpdatesName =>
  env.GROUP_STATE_UPDATES?.trim().toLowerCase() === GroupStateUpdates.Inline ? GroupStateUpdates.Inline : GroupStateUpdates.Stream;

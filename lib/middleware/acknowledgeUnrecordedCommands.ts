import { okResponse } from '../tencentEnvelope.js';
import { type WebhookMiddleware, elapsedMs, logContextOf } from '../webhookEvent.js';
import { WebhookOutcome, logWebhookOutcome } from '../webhookOutcome.js';
import { readWebhookQuery } from '../webhookQuery.js';

/**
 * A verified command we do not record is answered OK at once, whatever its body: for "before" webhooks a
 * FAIL could block a user's action in the chat app. Unknown commands warn in the log and never throw.
 */
export const acknowledgeUnrecordedCommands = (
  recorded: ReadonlyMap<string, unknown>,
  now: () => number,
): WebhookMiddleware => ({
  before: function acknowledgeUnrecordedCommandsBefore(request) {
    const command = readWebhookQuery(request.event).callbackCommand;
    if (!command || recorded.has(command)) return undefined;
    logWebhookOutcome({
      outcome: WebhookOutcome.Ignored,
      command,
      durationMs: elapsedMs(request.internal, now),
    }, logContextOf(request));
    return okResponse();
  },
});

import type { CommandHandlers } from '../../tencent/delivery.js';
import { okResponse } from '../../tencent/envelope.js';
import { logWebhookOutcome, WebhookOutcome } from '../outcome.js';
import { elapsedMs, logContextOf, queryOf, type WebhookMiddleware } from '../types.js';

/**
 * A verified command we do not record is answered OK at once, whatever its body: for "before" webhooks a
 * FAIL could block a user's action in the chat app. Unknown commands warn in the log and never throw.
 * Uses the router's own map; a command given in the body only is ignored by the router the same way.
 */
export const acknowledgeUnrecordedCommands = (handlers: CommandHandlers, now: () => number): WebhookMiddleware => ({
  before: function acknowledgeUnrecordedCommandsBefore(request) {
    const command = queryOf(request.event).callbackCommand;
    if (!command || handlers.has(command)) return undefined;
    logWebhookOutcome(
      {
        outcome: WebhookOutcome.Ignored,
        command,
        durationMs: elapsedMs(request.internal, now),
      },
      logContextOf(request),
    );
    return okResponse();
  },
});

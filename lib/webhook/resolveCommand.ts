import { WebhookRejectedError } from './errors.js';

/** The query's CallbackCommand and the body's must agree; either alone is enough (Tencent sends both). */
export const resolveCommand = (queryCommand: string | undefined, body: Record<string, unknown>): string => {
  const bodyCommand = body.CallbackCommand;
  if (bodyCommand !== undefined && typeof bodyCommand !== 'string') {
    throw new WebhookRejectedError('PayloadInvalid', 'CallbackCommand in the body is not a string');
  }
  if (queryCommand && bodyCommand && queryCommand !== bodyCommand) {
    throw new WebhookRejectedError('CommandMismatch', 'CallbackCommand in the body differs from the query\'s');
  }
  const command = queryCommand || bodyCommand;
  if (!command) throw new WebhookRejectedError('CommandMissing', 'CallbackCommand is missing from query and body');
  return command;
};

import { WebhookRejectedError } from './rejection.js';

/**
 * The query's CallbackCommand, else the body's (Tencent sends both). A body that disagrees, or whose command is
 * not a string, does not make the request unidentifiable: the command's handler notes it.
 */
export const resolveCommand = (queryCommand: string | undefined, body: Record<string, unknown>): string => {
  const bodyCommand = typeof body.CallbackCommand === 'string' ? body.CallbackCommand : undefined;
  const command = queryCommand || bodyCommand;
  if (!command) throw new WebhookRejectedError('CommandMissing', 'CallbackCommand is missing from query and body');
  return command;
};

import type { CommandHandler } from './commandHandler.js';
import { GroupCommand } from './groupCommands.js';
import { recordGroupAttrChanged } from './groupAttrChanged.js';
import { recordGroupDestroyed } from './groupDestroyed.js';
import { recordGroupFull } from './groupFull.js';

/** One handler per recorded CallbackCommand. A command missing here is acknowledged with OK and not stored. */
export const commandHandlers: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  [GroupCommand.GroupFull, recordGroupFull],
  [GroupCommand.GroupDestroyed, recordGroupDestroyed],
  [GroupCommand.GroupAttrChanged, recordGroupAttrChanged],
]);

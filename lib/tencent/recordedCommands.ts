import { GroupCommand } from './commands.js';
import type { CommandHandler, CommandHandlers } from './delivery.js';
import { recordGroupAttrChanged } from './groupAttrChanged.js';
import { recordGroupDestroyed } from './groupDestroyed.js';
import { recordGroupFull } from './groupFull.js';

/** One handler per recorded CallbackCommand. */
export const recordedCommandHandlers: CommandHandlers = new Map<string, CommandHandler>([
  [GroupCommand.GroupFull, recordGroupFull],
  [GroupCommand.GroupDestroyed, recordGroupDestroyed],
  [GroupCommand.GroupAttrChanged, recordGroupAttrChanged],
]);

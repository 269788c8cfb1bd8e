import type { ChatCommand } from '../../commands/chat-command.js';
import type { CommandContext, CommandOutcome } from '../../commands/command-context.js';

/**
 * Where the adapter hands parsed commands: the platform-neutral command handlers (`CommandHandlers`
 * is one). An outcome with `pendingJobId` means the answer comes later through a `ReplySender`, so the
 * deferred response keeps showing Discord's "thinking" state; any other outcome is posted at once.
 */
export interface CommandSink {
  handleCommand(command: ChatCommand, context: CommandContext): Promise<CommandOutcome>;
}

import type { ChatCommand } from '../../commands/chat-command.js';
import type { CommandContext } from '../../commands/command-context.js';
import type { OutboundReply } from '../../commands/reply-address.js';

export type { CommandContext };

/**
 * Where the adapter hands a parsed command: the platform-neutral handlers (`CommandHandlers`
 * satisfies it). The returned reply is the immediate answer (an empty text means nothing to say
 * now); slower answers such as continuations arrive later through a `ReplySender` using
 * `context.replyTo`.
 */
export interface CommandSink {
  handleCommand(command: ChatCommand, context: CommandContext): Promise<OutboundReply>;
}

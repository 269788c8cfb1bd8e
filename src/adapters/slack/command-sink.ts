import type { Caller } from '../../commands/caller.js';
import type { ChannelRef } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import type { OutboundReply, ReplyAddress } from '../../commands/reply-address.js';

export interface CommandContext {
  channel: ChannelRef;
  caller: Caller;
  replyTo: ReplyAddress;
}

/**
 * Where the adapter hands a parsed command: the platform-neutral handlers of the pipeline. The
 * returned reply is the immediate answer (an empty text means nothing to say now); slower answers
 * such as continuations arrive later through a `ReplySender` using `context.replyTo`.
 */
export interface CommandSink {
  handleCommand(command: ChatCommand, context: CommandContext): Promise<OutboundReply>;
}

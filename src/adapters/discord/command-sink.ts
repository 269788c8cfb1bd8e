import type { Caller } from '../../commands/caller.js';
import type { ChannelRef } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import type { OutboundReply, ReplyAddress } from '../../commands/reply-address.js';

export interface CommandContext {
  channel: ChannelRef;
  caller: Caller;
  /** Where a later answer goes (the worker edits the deferred response through it). */
  replyTo: ReplyAddress;
}

/**
 * Where the adapter hands parsed commands: the platform-neutral command handlers. A returned reply
 * is posted at once; `undefined` means the answer will come later through a `ReplySender` (as the
 * generation worker does for `/continue`).
 */
export interface CommandSink {
  handleCommand(command: ChatCommand, context: CommandContext): Promise<OutboundReply | undefined>;
}

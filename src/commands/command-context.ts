import type { Caller } from './caller.js';
import type { ChannelRef } from './channel-ref.js';
import type { OutboundReply, ReplyAddress } from './reply-address.js';

/** Where a command came from and where its answer goes; filled in by the adapter. */
export interface CommandContext {
  channel: ChannelRef;
  caller: Caller;
  replyTo: ReplyAddress;
  /**
   * The platform request's own unique id (Slack: its signature), when it has one: a request that
   * arrives again with the same id (a replay) is ignored by `CommandHandlers`.
   */
  requestId?: string;
  /**
   * Aborted when the command's deadline passed (the user is told "temporarily unavailable"): work
   * still in flight must then not take effect (a job added late is removed again).
   */
  signal?: AbortSignal;
}

/**
 * The immediate answer to a command. When `pendingJobId` is set, the real answer follows later through
 * the adapter's `ReplySender` (a `/continue` that was queued); otherwise this reply is the whole answer.
 */
export interface CommandOutcome extends OutboundReply {
  pendingJobId?: string;
  /**
   * The command could not be carried out: the bot was unavailable or failed, and this reply is its
   * apology. Not set for a refusal (a prompt too long, a missing right), which is the caller's to mend.
   */
  failed?: true;
}

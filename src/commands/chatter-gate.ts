import type { ChannelRef } from './channel-ref.js';

/**
 * The channel's chatter state, shared by every bot process: a cooldown between two unprompted replies
 * and "the bot chattered last", so that the next person's message is never chattered at.
 */
export interface ChatterGate {
  /**
   * Told of every person's message in a channel whose chatter is on. `drawn`: the message won the
   * draw. Resolves `true` when the bot should reply now: drawn, not right after its own chatter, and
   * out of the cooldown (which it then starts).
   */
  pass(channel: ChannelRef, drawn: boolean): Promise<boolean>;
}

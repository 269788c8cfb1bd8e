import type { ChannelRef } from './channel-ref.js';

/** A message posted in a channel where live learning is on, before cleaning. */
export interface LiveMessage {
  text: string;
  authorId: string;
  timestampMs: number;
}

/**
 * Where live learning keeps a channel's new messages: the channel's stored history, under the same
 * cleaning, cap and opt-outs as imported history (`RedisLiveHistory`).
 */
export interface LiveHistory {
  /** Cleans and stores the message; `true` when it was stored (not cleaned away, its author not opted out). */
  record(channel: ChannelRef, message: LiveMessage): Promise<boolean>;
}

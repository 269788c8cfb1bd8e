import type { ChannelRef } from './channel-ref.js';

export type RateLimitDecision = { allowed: true } | { allowed: false; scope: 'user' | 'channel'; retryAfterMs: number };

/**
 * Admission per user and per channel; one `take` counts one request against both when allowed. Without a
 * user (the bot's own initiative: chatter) it counts against the channel only.
 */
export interface RateLimiter {
  take(channel: ChannelRef, userId: string | undefined): Promise<RateLimitDecision>;
}

import type { ReplyAddress } from '../commands/reply-address.js';

/** `/continue` requests, consumed by generation workers. */
export const GENERATE_QUEUE = 'generate';

/**
 * Answers waiting to be posted, one queue per platform (per session for the console, whose replies can
 * only be printed by the process that owns the terminal). Consumed by whichever process holds that
 * platform's `ReplySender` (the bot process).
 */
export function replyQueueName(address: ReplyAddress): string {
  return address.platform === 'console' ? `replies-console-${address.sessionId}` : `replies-${address.platform}`;
}

/** The reply job for a generate job: one id per request, so a request can never be answered twice. */
export function replyJobId(generateJobId: string): string {
  return `reply-${generateJobId}`;
}

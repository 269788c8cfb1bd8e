/**
 * A post that failed for a reason that may pass (network, a 5xx, a timeout), thrown from a reply job
 * so that BullMQ retries it with backoff; it gives errors without a `code` of their own the stable
 * code `REPLY_POST_FAILED`. `cause` keeps the original error.
 */
export class ReplyPostError extends Error {
  override readonly name = 'ReplyPostError';
  readonly code = 'REPLY_POST_FAILED';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

import { UnrecoverableError } from 'bullmq';
import type { ErrorCode } from '../errors/error-codes.js';

/**
 * A post the platform refused for good (the bot is not in the channel, the channel is gone or
 * archived, the bot lacks a permission), or a reply job that is not valid (`REPLY_INVALID`): thrown
 * from a reply job, it fails the job at once, as
 * BullMQ's `UnrecoverableError` (not a `CodedError`: BullMQ tells it by its class). `code` is the sender's own (`SLACK_NOT_IN_CHANNEL`,
 * `DISCORD_MISSING_ACCESS`, ...), stable for metrics and alerts; `cause` keeps the platform's error.
 */
export class ReplyRefusedError extends UnrecoverableError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message);
    this.cause = options.cause;
  }
}

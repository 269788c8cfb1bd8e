export type SlackAdapterErrorCode =
  | 'SLACK_AUTH_FAILED'
  | 'SLACK_NOT_IN_CHANNEL'
  | 'SLACK_CHANNEL_NOT_FOUND'
  | 'SLACK_RATE_LIMITED'
  | 'SLACK_HISTORY_FAILED'
  | 'SLACK_WRONG_PLATFORM';

/** A failure at the Slack edge, with a stable `code` for callers and the platform error kept as `cause`. */
export class SlackAdapterError extends Error {
  constructor(
    readonly code: SlackAdapterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SlackAdapterError';
  }
}

export type SlackAdapterErrorCode =
  | 'SLACK_AUTH_FAILED'
  | 'SLACK_NOT_IN_CHANNEL'
  | 'SLACK_CHANNEL_NOT_FOUND'
  | 'SLACK_CHANNEL_ARCHIVED'
  | 'SLACK_RESPONSE_URL_DEAD'
  | 'SLACK_POST_FAILED'
  | 'SLACK_RATE_LIMITED'
  | 'SLACK_HISTORY_FAILED'
  | 'SLACK_POST_REFUSED'
  | 'SLACK_WRONG_PLATFORM';

/**
 * A failure at the Slack edge, with a stable `code` for callers and the platform error kept as
 * `cause`. `retryable: false` means trying again cannot help (a job should fail for good);
 * `retryAfterMs` is Slack's own wait after a 429.
 */
export class SlackAdapterError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: SlackAdapterErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SlackAdapterError';
    this.retryable = options.retryable ?? true;
    this.retryAfterMs = options.retryAfterMs;
  }
}

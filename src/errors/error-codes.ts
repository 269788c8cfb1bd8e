/** What the code says about an error: whether trying again can help, and the reply a user reads for it. */
export interface ErrorCodeInfo {
  /** False when the same request fails the same way every time: a job fails at once, without retries. */
  retryable: boolean;
  /**
   * The reply catalogue's key for what a user reads when this error ends their request (checked against
   * the catalogue in `src/replies/error-to-reply.ts`); without one, the path's own fallback.
   */
  reply?: string;
}

/**
 * Every code a `CodedError` may carry (Bolt's `ErrorCode`), with its retry decision and reply. The
 * reply texts, and the parameters some of them take, are rendered by `src/replies/error-to-reply.ts`.
 * This folder imports nothing, so every other one (`model/` included) may throw coded errors.
 */
export const errorCodes = {
  // Requests and commands
  USER_ERROR: { retryable: false },
  SERVICE_UNAVAILABLE: { retryable: true, reply: 'command.unavailable' },
  INVALID_CHAT_ID: { retryable: false },
  // Configuration and processes
  CONFIG_INVALID: { retryable: false },
  REDIS_URL_INVALID: { retryable: false },
  REDIS_MISSING: { retryable: false },
  DATA_DIR_IN_USE: { retryable: false },
  CONSOLE_SESSION_BUSY: { retryable: false },
  // Generation
  INVALID_PROMPT: { retryable: false },
  INVALID_TEMPERATURE: { retryable: false },
  INVALID_MAX_WORDS: { retryable: false },
  INVALID_MIN_WORDS: { retryable: false },
  INVALID_TOP_K: { retryable: false },
  INVALID_TOP_P: { retryable: false },
  INVALID_SEED: { retryable: false },
  NO_MODEL: { retryable: false, reply: 'continue.noModel' },
  GENERATE_TIMEOUT: { retryable: true },
  // Model store and vocabulary (a folder may be in the middle of a publication or a rollback)
  MODEL_NOT_FOUND: { retryable: true },
  MODEL_INVALID: { retryable: true },
  MODEL_WRITE_FAILED: { retryable: true },
  VOCABULARY_INVALID: { retryable: false },
  VOCABULARY_OPTIONS_INVALID: { retryable: false },
  TOKEN_ID_OUT_OF_RANGE: { retryable: false },
  // Training
  CORPUS_NOT_FOUND: { retryable: false },
  CORPUS_TOO_SMALL: { retryable: false, reply: 'retrain.tooFew' },
  TRAINING_ABORTED: { retryable: false, reply: 'retrain.cancelled' },
  TRAINING_DIVERGED: { retryable: true },
  INVALID_TRAIN_OPTIONS: { retryable: false },
  OUTPUT_NOT_MODEL_FOLDER: { retryable: false },
  TRAIN_TIMEOUT: { retryable: false, reply: 'retrain.timedOut' },
  TRAIN_MEMORY_LIMIT: { retryable: false, reply: 'retrain.outOfMemory' },
  TRAIN_CHILD_FAILED: { retryable: true },
  // History import
  IMPORT_SOURCE_MISSING: { retryable: false },
  IMPORT_FORMAT_INVALID: { retryable: false },
  // Reply delivery
  STATUS_MESSAGE_BUSY: { retryable: true },
  REPLY_POST_FAILED: { retryable: true },
  REPLY_INVALID: { retryable: false },
  // Discord (the replies are for a history read, the one place these reach a user)
  DISCORD_MISSING_ACCESS: { retryable: false, reply: 'retrain.historyNoAccess' },
  DISCORD_MISSING_PERMISSIONS: { retryable: false, reply: 'retrain.historyNoAccess' },
  DISCORD_UNKNOWN_CHANNEL: { retryable: false, reply: 'retrain.historyChannelNotFound' },
  DISCORD_NO_MESSAGE_CONTENT: { retryable: true, reply: 'retrain.historyNoContent' },
  DISCORD_WRONG_PLATFORM: { retryable: false },
  DISCORD_REQUEST_FAILED: { retryable: true },
  // Slack (a rate limit carries Slack's own wait, `retryAfterMs`; the replies are for a history read)
  SLACK_AUTH_FAILED: { retryable: true },
  SLACK_UNREACHABLE: { retryable: true },
  SLACK_NOT_IN_CHANNEL: { retryable: false, reply: 'retrain.historyNotInChannel' },
  SLACK_CHANNEL_NOT_FOUND: { retryable: false, reply: 'retrain.historyChannelNotFound' },
  SLACK_CHANNEL_ARCHIVED: { retryable: false },
  SLACK_RESPONSE_URL_DEAD: { retryable: false },
  SLACK_POST_FAILED: { retryable: true },
  SLACK_RATE_LIMITED: { retryable: true, reply: 'retrain.historyRateLimited' },
  SLACK_HISTORY_FAILED: { retryable: true },
  SLACK_POST_REFUSED: { retryable: false },
  SLACK_WRONG_PLATFORM: { retryable: false },
  // Anything else (an unexpected error, reported by code across a process boundary)
  INTERNAL: { retryable: true },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

/** A generation request's option that can never work (each code names one option). */
export const generationOptionCodes = [
  'INVALID_PROMPT',
  'INVALID_TEMPERATURE',
  'INVALID_MAX_WORDS',
  'INVALID_MIN_WORDS',
  'INVALID_TOP_K',
  'INVALID_TOP_P',
  'INVALID_SEED',
] as const satisfies readonly ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

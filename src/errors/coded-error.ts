import { errorCodes, type ErrorCode } from './error-codes.js';

export interface CodedErrorOptions {
  cause?: unknown;
  /** Overrides the code's own retry decision for this one error. */
  retryable?: boolean;
  /** The platform's own wait before trying again (a 429's `Retry-After`). */
  retryAfterMs?: number;
  /** Numbers or words that a code's reply needs (`limitMb` for `TRAIN_MEMORY_LIMIT`). */
  details?: Readonly<Record<string, number | string>>;
}

/**
 * The one error this code base throws on purpose (Bolt's `CodedError`): a stable `code` from
 * `errorCodes`, whether trying again can help, and the original error as `cause`. The message is for
 * logs and operators; what a user reads is looked up by code (`src/replies/error-to-reply.ts`).
 */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, number | string>>;

  constructor(
    readonly code: C,
    message: string,
    options: CodedErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

/** Whether `error` is a `CodedError`, and (given codes) one of those codes. */
export function isCodedError<C extends ErrorCode>(error: unknown, ...codes: C[]): error is CodedError<C> {
  return error instanceof CodedError && (codes.length === 0 || codes.includes(error.code as C));
}

/**
 * The code to log or count for any error: a `CodedError`'s, else the string code a library or Node
 * gave it (`ECONNREFUSED`, an ioredis code), else `fallback`.
 */
export function errorCodeOf(error: unknown, fallback = 'INTERNAL'): string {
  if (error instanceof CodedError) return error.code;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : fallback;
}

import pTimeout from 'p-timeout';

/** A job took longer than its time limit. */
export class TimeLimitError extends Error {
  readonly code = 'GENERATE_TIMEOUT';

  constructor(readonly limitMs: number) {
    super(`generation took longer than ${limitMs} ms`);
    this.name = 'TimeLimitError';
  }
}

/** Resolves like `work`, or rejects with `TimeLimitError` after `limitMs`. */
export function withTimeLimit<T>(work: Promise<T>, limitMs: number): Promise<T> {
  return pTimeout(work, { milliseconds: limitMs, message: new TimeLimitError(limitMs) });
}

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
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(limitMs)), limitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

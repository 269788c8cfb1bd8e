import { CodedError } from '../errors/coded-error.js';

/** Resolves like `work`, or rejects with a `CodedError` (`GENERATE_TIMEOUT`) after `limitMs`. */
export function withTimeLimit<T>(work: Promise<T>, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CodedError('GENERATE_TIMEOUT', `generation took longer than ${limitMs} ms`)),
      limitMs,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

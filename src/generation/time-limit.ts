import pTimeout from 'p-timeout';
import { CodedError } from '../errors/coded-error.js';

/** Resolves like `work`, or rejects with a `CodedError` (`GENERATE_TIMEOUT`) after `limitMs`. */
export function withTimeLimit<T>(work: Promise<T>, limitMs: number): Promise<T> {
  const message = new CodedError('GENERATE_TIMEOUT', `generation took longer than ${limitMs} ms`);
  return pTimeout(work, { milliseconds: limitMs, message });
}

import { CodedError } from '../errors/coded-error.js';

/** Runs Redis work for a user request: any failure becomes a `CodedError` `SERVICE_UNAVAILABLE` (cause kept). */
export async function failAsUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new CodedError('SERVICE_UNAVAILABLE', `Redis: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
}

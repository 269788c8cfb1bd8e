import { UnavailableError } from '../commands/unavailable-error.js';

/** Runs Redis work for a user request: any failure becomes an `UnavailableError` (cause kept). */
export async function guardRedis<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UnavailableError(`Redis: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

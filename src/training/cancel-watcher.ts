import type { Redis } from 'ioredis';

export interface CancelWatcher {
  /** Aborted once `/retrain cancel` named this request. */
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Polls `cancelKey` every `intervalMs` (the bot sets it to the request id on `/retrain cancel`) and
 * aborts `signal`, deleting the key, once it names `requestId`. A failed poll is tried again at the next.
 */
export function watchForCancel(
  connection: Redis,
  cancelKey: string,
  requestId: string,
  intervalMs = 1_000,
): CancelWatcher {
  const controller = new AbortController();
  const poll = setInterval(() => {
    connection
      .get(cancelKey)
      .then(async (value) => {
        if (value !== requestId) return;
        await connection.del(cancelKey);
        controller.abort();
      })
      .catch(() => undefined);
  }, intervalMs);
  return { signal: controller.signal, stop: () => clearInterval(poll) };
}

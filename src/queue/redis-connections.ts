import { Redis } from 'ioredis';

export interface FailFastOptions {
  /** Longest one command may take before it fails (the user then reads "temporarily unavailable"). */
  commandTimeoutMs?: number;
}

/**
 * A connection for request paths (command handlers, producers): while Redis is down, commands fail at
 * once instead of queueing in memory, and a slow answer fails after `commandTimeoutMs`. It keeps
 * reconnecting in the background.
 */
export function createFailFastRedis(url: string, { commandTimeoutMs = 2_000 }: FailFastOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** A connection for BullMQ workers and queue events: blocking commands, retried forever (BullMQ's rule). */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** Resolves when `redis` is ready, or rejects after `timeoutMs` with the last connection error. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const onError = (error: unknown) => (lastError = error);
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      redis.off('error', onError);
      reject(new Error(`Redis not ready after ${timeoutMs} ms: ${String((lastError as Error)?.message ?? lastError)}`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      redis.off('error', onError);
      resolve();
    };
    redis.once('ready', onReady);
    redis.on('error', onError);
  });
}

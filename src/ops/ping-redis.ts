import { Redis } from 'ioredis';

/** One PING with a short deadline: resolves with the round trip in ms, rejects with a readable reason. */
export async function pingRedis(url: string, timeoutMs = 2_000): Promise<number> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  const started = performance.now();
  try {
    await redis.connect();
    await redis.ping();
    return performance.now() - started;
  } finally {
    redis.disconnect();
  }
}

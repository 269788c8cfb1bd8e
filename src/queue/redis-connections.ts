import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from '../config/redis-target.js';

export interface FailFastOptions {
  /** Longest one command may take before it fails (the user then reads "temporarily unavailable"). */
  commandTimeoutMs?: number;
}

const reconnectEvery = (attempt: number): number => Math.min(attempt * 200, 2_000);

/**
 * A client for `REDIS_URL` (one server, Sentinel or Cluster: `parseRedisUrl`) with `options` applied to
 * every connection it makes. A Cluster client is typed as `Redis`: ioredis gives both the same command
 * API, and the app's keys share one hash slot (the `{prefix}` hash tag), so multi-key commands, Lua
 * scripts and MULTI work unchanged; only key scans need every master (`scanKeys`).
 */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const target = parseRedisUrl(url);
  if (target.kind === 'server') return new Redis(url, options);
  const { username, password } = target;
  const { retryStrategy } = options;
  const retry = retryStrategy ? (attempt: number) => retryStrategy(attempt) ?? null : undefined;
  const tls = target.tls ? {} : undefined;
  if (target.kind === 'sentinel') {
    return new Redis({
      ...options,
      sentinels: target.sentinels,
      name: target.name,
      db: target.db,
      username,
      password,
      sentinelPassword: target.sentinelPassword,
      sentinelRetryStrategy: retry,
      tls,
      sentinelTLS: tls,
      enableTLSForSentinelMode: target.tls,
    });
  }
  const { retryStrategy: _nodesDoNotRetry, enableOfflineQueue, lazyConnect, ...nodeOptions } = options;
  const cluster = new Cluster(target.nodes, {
    redisOptions: { ...nodeOptions, username, password, tls },
    clusterRetryStrategy: retry,
    enableOfflineQueue,
    lazyConnect,
  });
  return cluster as unknown as Redis;
}

/**
 * A connection for request paths (command handlers, producers): while Redis is down, commands fail at
 * once instead of queueing in memory, and a slow answer fails after `commandTimeoutMs`. It keeps
 * reconnecting in the background.
 */
export function createFailFastRedis(url: string, { commandTimeoutMs = 2_000 }: FailFastOptions = {}): Redis {
  return createRedisClient(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs,
    retryStrategy: reconnectEvery,
  });
}

/** A connection for BullMQ workers and queue events: blocking commands, retried forever (BullMQ's rule). */
export function createWorkerRedis(url: string): Redis {
  return createRedisClient(url, { maxRetriesPerRequest: null, retryStrategy: reconnectEvery });
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

import { parseRedisUrl, type RedisEndpoint } from '../config/redis-target.js';
import { createRedisClient } from '../queue/redis-connections.js';
import { redisErrorReason } from './redis-error-reason.js';

/**
 * One PING with a short deadline: resolves with the round trip in ms, rejects with the real reason: the
 * socket's error (`connect ECONNREFUSED 127.0.0.1:6390`, with its `code`) rather than ioredis' "Connection
 * is closed."; for Sentinel and Cluster, the reason of each of their endpoints.
 */
export async function pingRedis(url: string, timeoutMs = 2_000): Promise<number> {
  try {
    return await pingOnce(url, timeoutMs);
  } catch (error) {
    const reason = redisErrorReason(error);
    const target = parseRedisUrl(url);
    if (target.kind === 'server') throw Object.assign(new Error(reason.message), { code: reason.code });
    const endpoints = target.kind === 'sentinel' ? target.sentinels : target.nodes;
    const each = await Promise.all(endpoints.map((endpoint) => endpointReason(endpoint, timeoutMs)));
    const failures = each.filter((e) => e.code !== undefined);
    const detail = each.map((e) => e.text).join('; ');
    // Every endpoint unreachable: the first one's code says it (ECONNREFUSED, ETIMEDOUT...).
    const code = failures.length === endpoints.length ? failures[0]?.code : reason.code;
    throw Object.assign(new Error(`${reason.message} (${target.kind} ${detail})`), { code });
  }
}

async function pingOnce(url: string, timeoutMs: number): Promise<number> {
  const redis = createRedisClient(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let firstError: Error | undefined;
  redis.on('error', (error: Error) => (firstError ??= error));
  const started = performance.now();
  try {
    await redis.connect();
    await redis.ping();
    return performance.now() - started;
  } catch (error) {
    throw firstError ?? error;
  } finally {
    redis.disconnect();
  }
}

async function endpointReason({ host, port }: RedisEndpoint, timeoutMs: number) {
  const where = `${host}:${port}`;
  try {
    await pingOnce(`redis://${host.includes(':') ? `[${host}]` : host}:${port}`, timeoutMs);
    return { text: `${where} answers`, code: undefined };
  } catch (error) {
    const reason = redisErrorReason(error);
    return { text: `${where}: ${reason.code ?? reason.message}`, code: reason.code ?? 'UNREACHABLE' };
  }
}

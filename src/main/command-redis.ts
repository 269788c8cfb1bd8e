import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';
import type { Logger } from '../ops/logger.js';
import { createFailFastRedis } from '../queue/redis-connections.js';

/**
 * A fail-fast connection for the request path (the platform adapters, the command handlers): a command
 * waits on Redis at most `COMMAND_TIMEOUT_MS`, and never more than 2 s; its errors go to the logger as
 * `source` (`logRedisErrors`).
 */
export function createCommandRedis(
  redisUrl: string,
  config: Pick<Config, 'COMMAND_TIMEOUT_MS'>,
  logger: Logger,
  source: string,
): Redis {
  const redis = createFailFastRedis(redisUrl, { commandTimeoutMs: Math.min(2_000, config.COMMAND_TIMEOUT_MS) });
  redis.on('error', logRedisErrors(logger, source));
  return redis;
}

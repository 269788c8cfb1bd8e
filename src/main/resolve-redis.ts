import type { Config } from '../config/schema.js';
import { redactUrl } from '../config/redact-url.js';
import { DEFAULT_REDIS_URL } from '../config/redis-url.js';
import type { Logger } from '../ops/logger.js';
import { pingRedis } from '../ops/ping-redis.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';

/**
 * The Redis to use: `REDIS_URL` when set; else the default address when it answers; else (when
 * allowed: `lstm-bot start`) a private `redis-server` with data under `DATA_DIR/redis`.
 * Throws a `CodedError` (`REDIS_MISSING`) with install instructions when none can be had.
 */
export async function resolveRedis(
  config: Pick<Config, 'REDIS_URL' | 'DATA_DIR'>,
  logger: Logger,
  { allowPrivate }: { allowPrivate: boolean },
): Promise<{ url: string; private?: PrivateRedis }> {
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  try {
    await pingRedis(DEFAULT_REDIS_URL, 1_000);
    return { url: DEFAULT_REDIS_URL };
  } catch {
    if (!allowPrivate) return { url: DEFAULT_REDIS_URL };
  }
  const own = await startPrivateRedis(config.DATA_DIR);
  logger.info(
    { url: redactUrl(own.url), dir: `${config.DATA_DIR}/redis` },
    'no Redis at the default address: started a private one',
  );
  return { url: own.url, private: own };
}

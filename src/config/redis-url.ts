import type { Config } from './schema.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The Redis the processes use: `REDIS_URL`, or the local default. */
export function redisUrl(config: Pick<Config, 'REDIS_URL'>): string {
  return config.REDIS_URL ?? DEFAULT_REDIS_URL;
}

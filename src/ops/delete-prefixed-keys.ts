import { createRedisClient } from '../queue/redis-connections.js';
import { scanKeys } from '../queue/scan-keys.js';

/** Deletes every key under `<prefix>:` (a test's or a benchmark's own queues and settings). */
export async function deletePrefixedKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedisClient(url, { maxRetriesPerRequest: 1 });
  try {
    // Key by key: on a Cluster, a multi-key DEL must stay within one slot.
    for await (const keys of scanKeys(redis, `${prefix}:*`, 1000)) await Promise.all(keys.map((key) => redis.del(key)));
  } finally {
    redis.disconnect();
  }
}

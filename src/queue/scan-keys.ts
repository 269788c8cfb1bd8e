import type { Cluster, Redis } from 'ioredis';

/**
 * Every key matching `pattern`, a page at a time. On a Cluster, SCAN sees one node only, so each master
 * is scanned in turn.
 */
export async function* scanKeys(redis: Redis, pattern: string, count = 500): AsyncGenerator<string[]> {
  const nodes = redis.isCluster ? (redis as unknown as Cluster).nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

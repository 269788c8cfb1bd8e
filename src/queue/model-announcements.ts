import type { Cluster, Redis } from 'ioredis';

/**
 * The pub/sub channel on which new model versions are announced. Pub/sub ignores the database number
 * (a channel is server-wide), so the name carries both the prefix and the database: two deployments
 * sharing one Redis server never hear each other.
 */
export function modelAnnouncementChannel(prefix: string, db: number): string {
  return `${prefix}:db${db}:model-published`;
}

/** The database a connection works in (a Cluster has only database 0). */
export function databaseOf(redis: Redis): number {
  if (redis.isCluster) return (redis as unknown as Cluster).options.redisOptions?.db ?? 0;
  return redis.options.db ?? 0;
}

/**
 * Tells every generation worker that `channelKey`'s model changed (`*` for the base model), so the next
 * request loads the new version at once instead of at the next periodic check. Call after publishing.
 */
export async function announceModel(redis: Redis, prefix: string, channelKey: string): Promise<void> {
  await redis.publish(modelAnnouncementChannel(prefix, databaseOf(redis)), channelKey);
}

/** Listens for announcements on a dedicated connection (a subscribed connection can do nothing else). */
export async function subscribeModelAnnouncements(
  subscriber: Redis,
  prefix: string,
  onAnnouncement: (channelKey: string) => void,
): Promise<void> {
  const channel = modelAnnouncementChannel(prefix, databaseOf(subscriber));
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) onAnnouncement(message);
  });
  await subscriber.subscribe(channel);
}

import type { Redis } from 'ioredis';

/** The pub/sub channel on which new model versions are announced. */
export function modelAnnouncementChannel(prefix: string): string {
  return `${prefix}:model-published`;
}

/**
 * Tells every generation worker that `channelKey`'s model changed (`*` for the base model), so the next
 * request loads the new version at once instead of at the next periodic check. Call after publishing.
 */
export async function announceModel(redis: Redis, prefix: string, channelKey: string): Promise<void> {
  await redis.publish(modelAnnouncementChannel(prefix), channelKey);
}

/** Listens for announcements on a dedicated connection (a subscribed connection can do nothing else). */
export async function subscribeModelAnnouncements(
  subscriber: Redis,
  prefix: string,
  onAnnouncement: (channelKey: string) => void,
): Promise<void> {
  const channel = modelAnnouncementChannel(prefix);
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) onAnnouncement(message);
  });
  await subscriber.subscribe(channel);
}

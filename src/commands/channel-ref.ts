export type Platform = 'discord' | 'slack' | 'console';

/**
 * A channel, named so that two platforms or two workspaces can never collide: settings, models and
 * stored messages are all keyed by it.
 */
export interface ChannelRef {
  platform: Platform;
  /** Discord guild id, Slack team id, or `local` for the console. */
  workspace: string;
  /** Channel (or thread) id. */
  channel: string;
}

/** `discord/123/456`: the key form used in Redis keys and model store paths. */
export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}/${ref.workspace}/${ref.channel}`;
}

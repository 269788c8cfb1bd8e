import { discordRest, type DiscordRestConfig } from './discord-rest.js';
import { readDiscordHistory, type DiscordHistory, type ReadDiscordHistoryOptions } from './read-discord-history.js';

export type DiscordHistoryReader = (options: ReadDiscordHistoryOptions) => DiscordHistory;

/**
 * The history reader a trainer needs, bound to `DISCORD_TOKEN` (REST only, no gateway).
 * `undefined` when no Discord token is configured.
 */
export function createDiscordHistoryReader(config: DiscordRestConfig): DiscordHistoryReader | undefined {
  if (!config.DISCORD_TOKEN) return undefined;
  const rest = discordRest(config);
  return (options) => readDiscordHistory(rest, options);
}

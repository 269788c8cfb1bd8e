import { REST } from 'discord.js';
import type { Config } from '../../config/schema.js';
import { CodedError } from '../../errors/coded-error.js';

export type DiscordRestConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>;

/** discord.js REST options for a config: the API base URL override (tests) and no pings by default. */
export function discordRestOptions(config: DiscordRestConfig): { api?: string } {
  return config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {};
}

/**
 * A REST client with the bot token, for processes that answer or read history without a gateway
 * connection (workers, trainers, `lstm-bot discord register`). It queues and retries on 429 itself.
 */
export function discordRest(config: DiscordRestConfig): REST {
  if (!config.DISCORD_TOKEN) throw new CodedError('DISCORD_REQUEST_FAILED', 'DISCORD_TOKEN is not set');
  return new REST(discordRestOptions(config)).setToken(config.DISCORD_TOKEN.reveal());
}

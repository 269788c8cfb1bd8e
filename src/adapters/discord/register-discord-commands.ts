import { Routes, type REST } from 'discord.js';
import { discordCommands, type DiscordLimits } from './discord-commands.js';
import { toDiscordError } from './discord-error.js';

export interface RegisterDiscordCommandsOptions {
  applicationId: string;
  /** Register in one server only (instant, for development); default: globally. */
  guildId?: string;
  limits: DiscordLimits;
}

/**
 * Replaces the application's slash commands with ours (a bulk overwrite: commands we no longer
 * define disappear). Run on deploy, never on every start-up: Discord rate-limits command writes.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export async function registerDiscordCommands(
  rest: REST,
  { applicationId, guildId, limits }: RegisterDiscordCommandsOptions,
): Promise<string[]> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  try {
    const registered = (await rest.put(route, { body: discordCommands(limits) })) as { name: string }[];
    return registered.map((command) => command.name);
  } catch (error) {
    throw toDiscordError(error, guildId ? `registering commands in server ${guildId}` : 'registering commands');
  }
}

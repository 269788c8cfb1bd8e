import { ApplicationCommandType, Routes, type REST } from 'discord.js';
import { discordCommands, type DiscordLimits } from './discord-commands.js';
import { toDiscordError } from './discord-error.js';

export interface RegisterDiscordCommandsOptions {
  applicationId: string;
  /** Register in one server only (instant, for development); default: globally. */
  guildId?: string;
  limits: DiscordLimits;
}

/**
 * Replaces the application's commands with ours (a bulk overwrite: commands we no longer
 * define disappear). Run on deploy, never on every start-up: Discord rate-limits command writes.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export async function registerDiscordCommands(
  rest: REST,
  { applicationId, guildId, limits }: RegisterDiscordCommandsOptions,
): Promise<string[]> {
  // Slash commands are shown as typed (`/continue`), the message command by its menu entry.
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  try {
    const registered = (await rest.put(route, { body: discordCommands(limits) })) as { name: string; type?: number }[];
    return registered.map((command) =>
      command.type === ApplicationCommandType.Message ? `"${command.name}" (message menu)` : `/${command.name}`,
    );
  } catch (error) {
    throw toDiscordError(error, guildId ? `registering commands in server ${guildId}` : 'registering commands');
  }
}

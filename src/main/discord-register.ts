import { discordRest } from '../adapters/discord/discord-rest.js';
import { registerDiscordCommands } from '../adapters/discord/register-discord-commands.js';
import { commandLimitsFrom } from '../commands/command-limits.js';
import { loadConfig } from '../config/load-config.js';

export interface DiscordRegisterOptions {
  guild?: string;
}

/** `lstm-bot discord register [--guild ID]`: registers the slash commands; returns the line to print. */
export async function discordRegister(
  options: DiscordRegisterOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const config = loadConfig({ env });
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!config.DISCORD_TOKEN || !applicationId) {
    throw new Error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID first (see docs/discord.md).');
  }
  if (options.guild !== undefined && !/^\d{5,25}$/.test(options.guild)) {
    throw new Error(`--guild must be a server id (digits), got "${options.guild}".`);
  }
  const names = await registerDiscordCommands(discordRest(config), {
    applicationId,
    limits: commandLimitsFrom(config),
    ...(options.guild ? { guildId: options.guild } : {}),
  });
  const where = options.guild ? `in server ${options.guild}` : 'globally';
  return `Registered ${names.length} commands ${where}: ${names.join(', ')}`;
}

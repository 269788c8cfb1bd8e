import { Client, Events, GatewayIntentBits, RESTEvents } from 'discord.js';
import type { Config } from '../../config/schema.js';
import type { ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import type { CommandSink } from './command-sink.js';
import { discordCommandLimits } from './discord-command-limits.js';
import { DiscordError } from './discord-error.js';
import { DiscordReplySender } from './discord-reply-sender.js';
import { discordRestOptions } from './discord-rest.js';
import { handleDiscordInteraction } from './handle-discord-interaction.js';

export interface StartDiscordDeps {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL' | 'MAX_PROMPT_CHARS' | 'MAX_WORDS' | 'RETRAIN_MAX_MESSAGES'>;
  sink: CommandSink;
  logger: Logger;
}

export interface DiscordAdapter {
  /** Answers Discord reply addresses through this process's REST client. */
  replySender: ReplySender;
  stop(): Promise<void>;
}

/**
 * Logs the bot in (gateway intent Guilds only: slash commands need no other) and hands every slash
 * command to the sink. Resolves once Discord said READY; rejects with the reason otherwise.
 */
export async function startDiscord({ config, sink, logger }: StartDiscordDeps): Promise<DiscordAdapter> {
  if (!config.DISCORD_TOKEN) throw new DiscordError('DISCORD_REQUEST_FAILED', 'DISCORD_TOKEN is not set');
  const log = logger.child({ platform: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: discordRestOptions(config),
    allowedMentions: { parse: [] },
  });
  const replySender = new DiscordReplySender(client.rest);
  const deps = { sink, sender: replySender, limits: discordCommandLimits(config), logger };

  client.on(Events.InteractionCreate, (interaction) => void handleDiscordInteraction(interaction, deps));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'discord gateway closed'));
  client.on(Events.ShardResume, (shard) => log.info({ shard }, 'discord gateway resumed'));
  // discord.js prints part of the token in one debug line; drop it.
  client.on(Events.Debug, (message) => {
    if (!/token/i.test(message)) log.trace(message);
  });
  client.rest.on(RESTEvents.RateLimited, (info) =>
    log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord rate limit'),
  );

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.DISCORD_TOKEN.reveal());
    await ready;
  } catch (error) {
    await client.destroy();
    throw new DiscordError('DISCORD_REQUEST_FAILED', 'Could not log in to Discord', { cause: error });
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');

  return {
    replySender,
    async stop() {
      await client.destroy();
      log.info('discord stopped');
    },
  };
}

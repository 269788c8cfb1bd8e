import { Client, Events, GatewayIntentBits, Options, RESTEvents, type REST } from 'discord.js';
import type { ChatAdapter, CommandEntry } from '../../commands/chat-adapter.js';
import { commandLimitsFrom } from '../../commands/command-limits.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { DiscordReplySender } from './discord-reply-sender.js';
import { discordRest, discordRestOptions } from './discord-rest.js';
import { handleDiscordInteraction } from './handle-discord-interaction.js';
import { handleDiscordMessage } from './handle-discord-message.js';
import { CodedError } from '../../errors/coded-error.js';

export type DiscordAdapterConfig = Pick<
  Config,
  | 'DISCORD_TOKEN'
  | 'DISCORD_API_URL'
  | 'DEFAULT_TEMPERATURE'
  | 'DEFAULT_WORDS'
  | 'MIN_WORDS'
  | 'MAX_PROMPT_CHARS'
  | 'MAX_WORDS'
  | 'RETRAIN_MAX_MESSAGES'
> &
  Partial<Pick<Config, 'DISCORD_MESSAGE_CONTENT'>>;

/** `replyQueueName` of every Discord address. */
const DISCORD_REPLY_QUEUE = 'replies-discord';

/**
 * The Discord edge of the bot process. Inbound: a gateway connection with the Guilds intent (slash
 * commands) and the Guild Messages intent (messages that mention the bot; Discord sends the text of
 * those without the privileged Message Content intent), handing both to the command handlers; with
 * `DISCORD_MESSAGE_CONTENT`, the Message Content intent too, so that every message's text arrives (live
 * learning, chatter). Outbound: a REST-only `DiscordReplySender`, usable before `start`, after `stop`
 * and without the gateway.
 */
export class DiscordChatAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  readonly replyQueue = DISCORD_REPLY_QUEUE;
  readonly sender: DiscordReplySender;
  /** With the Message Content intent only: without it Discord leaves the text of other messages empty. */
  readonly readsMessages: boolean;
  readonly #client: Client;
  readonly #rest: REST;
  readonly #config: DiscordAdapterConfig;
  readonly #log: Logger;

  constructor({ config, logger }: { config: DiscordAdapterConfig; logger: Logger }) {
    if (!config.DISCORD_TOKEN) throw new CodedError('DISCORD_REQUEST_FAILED', 'DISCORD_TOKEN is not set');
    this.#config = config;
    this.#log = logger.child({ platform: 'discord' });
    this.readsMessages = config.DISCORD_MESSAGE_CONTENT === true;
    const content = this.readsMessages ? [GatewayIntentBits.MessageContent] : [];
    this.#client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...content],
      // Every message of every channel arrives now; each is handled once (mention, learning, chatter): keep none in memory.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      rest: discordRestOptions(config),
      allowedMentions: { parse: [] },
    });
    // Its own REST client: `Client#destroy` clears the client's token, and answers still being
    // delivered while the gateway stops must go out.
    this.#rest = discordRest(config);
    this.sender = new DiscordReplySender(this.#rest);
    this.#logEvents();
  }

  /** Logs in and resolves once Discord said READY; rejects with a `CodedError` (`DISCORD_REQUEST_FAILED`) otherwise. */
  async start(commands: CommandEntry): Promise<void> {
    const deps = { sink: commands, sender: this.sender, limits: commandLimitsFrom(this.#config), logger: this.#log };
    this.#client.on(Events.InteractionCreate, (interaction) => void handleDiscordInteraction(interaction, deps));
    this.#client.on(Events.MessageCreate, (message) => void handleDiscordMessage(message, deps));
    const ready = new Promise<void>((resolve) => this.#client.once(Events.ClientReady, () => resolve()));
    try {
      await this.#client.login(this.#config.DISCORD_TOKEN?.reveal());
      await ready;
    } catch (error) {
      await this.#client.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      throw new CodedError('DISCORD_REQUEST_FAILED', `Could not log in to Discord: ${disallowedIntentsHint(reason)}`, {
        cause: error,
      });
    }
    this.#log.info({ user: this.#client.user?.tag, guilds: this.#client.guilds.cache.size }, 'discord ready');
    if (!this.readsMessages) {
      this.#log.info(
        'DISCORD_MESSAGE_CONTENT is off: Discord sends no message text, so live learning and chatter cannot work ' +
          'here (/settings learning on is refused); see docs/discord.md',
      );
    }
  }

  async stop(): Promise<void> {
    await this.#client.destroy();
    this.#log.info('discord stopped');
  }

  #logEvents(): void {
    const log = this.#log;
    this.#client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    this.#client.on(Events.Warn, (message) => log.warn(message));
    this.#client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ shard, code: event.code }, 'discord gateway closed'),
    );
    this.#client.on(Events.ShardResume, (shard) => log.info({ shard }, 'discord gateway resumed'));
    // discord.js prints part of the token in one debug line; drop it.
    this.#client.on(Events.Debug, (message) => {
      if (!/token/i.test(message)) log.trace(message);
    });
    for (const rest of [this.#client.rest, this.#rest]) {
      rest.on(RESTEvents.RateLimited, (info) =>
        log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord rate limit'),
      );
    }
  }
}

/** Discord's refusal of the Message Content intent (close code 4014), with what to do about it. */
function disallowedIntentsHint(reason: string): string {
  if (!/disallowed ?intent|privileged intent|4014/i.test(reason)) return reason;
  return (
    `${reason} (DISCORD_MESSAGE_CONTENT asks for the Message Content intent: turn it on in the Developer Portal, ` +
    'Bot > Privileged Gateway Intents > Message Content Intent, or unset DISCORD_MESSAGE_CONTENT)'
  );
}

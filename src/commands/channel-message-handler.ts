import type { Logger } from '../ops/logger.js';
import type { CommandEntry } from './chat-adapter.js';
import type { ChannelMessage, ChannelMessageEntry } from './channel-message.js';
import { channelKey } from './channel-ref.js';
import { chatterChance, chatterDraw } from './chatter-draw.js';
import type { ChatterGate } from './chatter-gate.js';
import type { LiveHistory } from './live-history.js';
import type { ReplayGuard } from './replay-guard.js';
import type { SettingsStore } from './settings-store.js';

export interface ChannelMessageHandlerOptions {
  /** The command handlers: chatter is a `/continue` (`via: 'chatter'`) through them. */
  commands: CommandEntry;
  /** The channel's settings; a short cache is fine (`CachedSettingsStore.cached`): every message reads them. */
  settings: Pick<SettingsStore, 'get'>;
  history: LiveHistory;
  chatter: ChatterGate;
  /** Drops a message whose `requestId` was seen before (a Slack event sent again). */
  replayGuard?: ReplayGuard;
  /** Uniform in [0, 1): chatter's draw (tests force it). */
  random?: () => number;
  logger: Logger;
}

/**
 * The one seam behind every adapter's "a message was posted": where the channel's `learning` is on,
 * stores a person's message in the channel's history (`LiveHistory`); where its `chatter` chance is
 * above 0, may continue it unprompted (`ChatterGate`: a cooldown and never twice in a row, through the
 * same queue, rate limits, temperature and model as `/continue`). Messages of bots and of the bot
 * itself are ignored; a channel with both off costs one (cached) settings read. Chatter never posts a
 * refusal: rate limited or failed is silence. Never throws.
 */
export class ChannelMessageHandler implements ChannelMessageEntry {
  readonly #o: ChannelMessageHandlerOptions;

  constructor(options: ChannelMessageHandlerOptions) {
    this.#o = options;
  }

  async handleMessage(message: ChannelMessage): Promise<void> {
    if (message.fromBot) return;
    const log = this.#o.logger.child({ platform: message.channel.platform, channel: channelKey(message.channel) });
    try {
      const settings = await this.#o.settings.get(message.channel);
      const learning = settings.learning === true;
      const chance = chatterChance(settings);
      if (!learning && chance === 0) return;
      const guard = this.#o.replayGuard;
      if (message.requestId !== undefined && guard && !(await guard.firstSeen(message.requestId))) {
        return log.debug({ requestId: message.requestId }, 'a channel message that arrived before was ignored');
      }
      // Chatter is decided (and queued) before the message is stored: a stored message had its chance.
      if (chance > 0) await this.#chatter(message, chance, log);
      if (learning) await this.#learn(message, log);
    } catch (error) {
      log.warn({ err: error }, 'could not handle a channel message');
    }
  }

  async #learn(message: ChannelMessage, log: Logger): Promise<void> {
    const { text, authorId, timestampMs } = message;
    const stored = await this.#o.history.record(message.channel, { text, authorId, timestampMs });
    log.debug({ messageId: message.messageId, stored }, 'live learning');
  }

  async #chatter(message: ChannelMessage, chance: number, log: Logger): Promise<void> {
    const drawn = chatterDraw(message, chance, this.#o.random ?? Math.random);
    if (!(await this.#o.chatter.pass(message.channel, drawn))) return;
    const outcome = await this.#o.commands.handleCommand(
      { name: 'continue', prompt: message.text.trim(), via: 'chatter' },
      {
        channel: message.channel,
        caller: { userId: message.authorId, canManageChannel: false, canManageWorkspace: false },
        replyTo: message.replyTo,
      },
    );
    if (outcome.pendingJobId !== undefined) return log.info({ jobId: outcome.pendingJobId }, 'chatter queued');
    // Rate limited, turned off meanwhile, a prompt too long: silence, never a refusal in the channel.
    log.info({ refused: outcome.text !== '' }, 'chatter stayed silent');
  }
}

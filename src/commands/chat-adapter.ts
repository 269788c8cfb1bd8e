import type { ChannelMessage } from './channel-message.js';
import type { Platform } from './channel-ref.js';
import type { ChatCommand } from './chat-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { ReplySender } from './reply-address.js';

/** What an adapter calls for every command it receives: `CommandHandlers.handleCommand`. */
export interface CommandEntry {
  handleCommand(command: ChatCommand, context: CommandContext): Promise<CommandOutcome>;
  /** Told how long the adapter took to acknowledge a platform request (metrics). */
  acknowledged?(platform: Platform, elapsedMs: number): void;
  /** Told of every message posted in a channel the adapter sees (live learning, chatter). */
  handleMessage?(message: ChannelMessage): Promise<void>;
}

/**
 * A platform edge run by the bot process: inbound, it turns platform events into `ChatCommand`s for
 * `handleCommand`; outbound, its `sender` posts the answers that workers queue on `replyQueue`
 * (`replyQueueName` of its addresses, e.g. `replies-discord`).
 */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly replyQueue: string;
  readonly sender: ReplySender;
  /**
   * Whether the deployment lets this adapter read the text of a channel's messages (Discord: only with
   * the Message Content intent); `false` refuses `/settings learning on`. Absent: it can.
   */
  readonly readsMessages?: boolean;
  start(commands: CommandEntry): Promise<void>;
  stop(): Promise<void>;
}

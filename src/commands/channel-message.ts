import type { ChannelRef } from './channel-ref.js';
import type { ReplyAddress } from './reply-address.js';

/**
 * "A message was posted in a channel", as every adapter reports it (Discord MESSAGE_CREATE, Slack's
 * `message` event, a console line): what live learning stores and what chatter may answer.
 */
export interface ChannelMessage {
  channel: ChannelRef;
  /** The author's platform user id. */
  authorId: string;
  /** Plain text, as people read it (Slack markup resolved, as the history readers do). */
  text: string;
  /** Written by a bot, an integration or a webhook, or by this bot itself: never stored, never answered. */
  fromBot: boolean;
  /** The platform's id of the message (Discord: a snowflake; Slack: its `ts`). */
  messageId: string;
  /** When it was posted, epoch milliseconds. */
  timestampMs: number;
  /** Where an unprompted answer goes: the channel (Discord: a reply to the message; Slack: its thread when in one). */
  replyTo: ReplyAddress;
  /** Answered already (it mentions the bot, or it is a console prompt): chatter leaves it alone. */
  answered: boolean;
  /** The platform event's own id, when it may arrive twice (Slack's `event_id`): a replay is ignored. */
  requestId?: string;
}

/** What an adapter calls for every message posted in a channel it sees (`ChannelMessageHandler.handle`). */
export interface ChannelMessageEntry {
  handleMessage(message: ChannelMessage): Promise<void>;
}

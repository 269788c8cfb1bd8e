import type { CommandEntry } from '../../commands/chat-adapter.js';
import type { ChannelMessage } from '../../commands/channel-message.js';
import type { Logger } from '../../ops/logger.js';
import { messageEventPayloadSchema, type MessageEventPayload } from './message-event-payload.js';
import { slackTextToPlain } from './slack-text-to-plain.js';

export interface MessageEventDeps {
  commands: CommandEntry;
  logger: Logger;
}

/**
 * One `message` event of a channel (Bolt has acknowledged it already) to the command handlers' message
 * seam (live learning, chatter). Only plain messages pass: a `subtype` (bot_message, message_changed,
 * message_deleted, channel_join, ...), direct messages and malformed events are ignored; a `bot_id` or
 * the bot's own user marks it as a bot's, a mention of the bot as answered (its `app_mention` answers
 * it). The `event_id` goes with it, so an event Slack sends again is handled once. Never throws.
 * @see https://docs.slack.dev/reference/events/message
 */
export async function handleMessageEvent(
  body: unknown,
  botUserId: string | undefined,
  { commands, logger }: MessageEventDeps,
): Promise<void> {
  if (commands.handleMessage === undefined) return;
  const checked = messageEventPayloadSchema.safeParse(body);
  if (!checked.success) return logger.trace({ platform: 'slack' }, 'message event without a plain message ignored');
  try {
    await commands.handleMessage(slackChannelMessage(checked.data, botUserId));
  } catch (error) {
    logger.warn({ err: error, platform: 'slack' }, 'could not handle a message event');
  }
}

/** The platform-neutral form of a plain Slack message. */
export function slackChannelMessage(payload: MessageEventPayload, botUserId: string | undefined): ChannelMessage {
  const { team_id: team, event_id: eventId, event } = payload;
  return {
    channel: { platform: 'slack', workspace: team, channel: event.channel },
    authorId: event.user,
    text: slackTextToPlain(event.text).trim(),
    fromBot: event.bot_id !== undefined || event.user === botUserId,
    messageId: event.ts,
    timestampMs: Math.round(Number(event.ts) * 1000),
    replyTo: {
      platform: 'slack',
      channelId: event.channel,
      userId: event.user,
      expiresAt: 0,
      ...(event.thread_ts === undefined ? {} : { threadTs: event.thread_ts }),
    },
    answered: botUserId !== undefined && event.text.includes(`<@${botUserId}`),
    requestId: `slack-event:${eventId}`,
  };
}

import type { Message } from 'discord.js';
import type { ChannelMessage } from '../../commands/channel-message.js';
import { channelRefSchema, isChatId } from '../../commands/channel-ref.js';
import { handleDiscordMention, type DiscordMentionDeps } from './handle-discord-mention.js';
import { USER_MESSAGE_TYPES } from './read-discord-history.js';

/**
 * Every guild message the gateway sends (MESSAGE_CREATE): one that mentions the bot user is answered as
 * a mention (`handleDiscordMention`); then every message goes to the command handlers' message seam
 * (live learning, chatter), a mention marked as answered. Never throws.
 */
export async function handleDiscordMessage(message: Message, deps: DiscordMentionDeps): Promise<void> {
  if (!message.inGuild()) return;
  const botId = message.client.user.id;
  const mentionsBot = message.mentions.users.has(botId);
  if (mentionsBot) await handleDiscordMention(message, deps);
  const posted = discordChannelMessage(message, botId, mentionsBot);
  if (posted === undefined || deps.sink.handleMessage === undefined) return;
  await deps.sink.handleMessage(posted);
}

/** The platform-neutral form of a guild message; `undefined` for malformed ids. */
export function discordChannelMessage(
  message: Message<true>,
  botId: string,
  mentionsBot: boolean,
): ChannelMessage | undefined {
  const checked = channelRefSchema.safeParse({
    platform: 'discord',
    workspace: message.guildId,
    channel: message.channelId,
  });
  if (!checked.success || !isChatId(message.author.id)) return undefined;
  const byPerson =
    !message.author.bot &&
    !message.author.system &&
    message.author.id !== botId &&
    message.webhookId === null &&
    USER_MESSAGE_TYPES.has(message.type);
  return {
    channel: checked.data,
    authorId: message.author.id,
    text: message.content,
    fromBot: !byPerson,
    messageId: message.id,
    timestampMs: message.createdTimestamp,
    // Chatter replies to the message it continues (without pinging its author).
    replyTo: { platform: 'discord', channelId: message.channelId, expiresAt: 0, replyToMessageId: message.id },
    answered: mentionsBot,
  };
}

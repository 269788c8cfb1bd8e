import { messageJson, type FakeDiscordMessage } from './fake-discord-message.js';

/** Gateway intents the fake checks (Discord's bit numbers). */
export const GUILD_MESSAGES_INTENT = 1 << 9;
export const MESSAGE_CONTENT_INTENT = 1 << 15;

export interface SendMessageOptions {
  content: string;
  channelId?: string;
  authorId?: string;
  /** The author is a bot (another bot, or the bot itself with its own user id). */
  bot?: boolean;
  /** Users the message mentions; by default every `<@id>` in the content. */
  mentionIds?: string[];
  /** Mentions `@everyone`. */
  mentionEveryone?: boolean;
  /** Roles the message mentions. */
  mentionRoleIds?: string[];
  /** Posted by a webhook. */
  webhookId?: string;
}

/**
 * MESSAGE_CREATE as Discord dispatches it to a bot with `intents`: `undefined` without Guild
 * Messages (nothing is sent); without Message Content, the text is empty unless the message mentions
 * the bot or is the bot's own (Discord's exceptions).
 * @see https://discord.com/developers/docs/events/gateway#message-content-intent
 */
export function messageCreateJson(
  message: FakeDiscordMessage,
  options: SendMessageOptions,
  { intents, botUserId, guildId }: { intents: number; botUserId: string; guildId: string },
): Record<string, unknown> | undefined {
  if ((intents & GUILD_MESSAGES_INTENT) === 0) return undefined;
  const mentionIds = options.mentionIds ?? [...options.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
  const readable =
    (intents & MESSAGE_CONTENT_INTENT) !== 0 || mentionIds.includes(botUserId) || message.authorId === botUserId;
  const user = (id: string) => ({
    id,
    username: `user${id.slice(-4)}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
  });
  return {
    ...messageJson({ ...message, content: readable ? message.content : '' }, guildId),
    mentions: mentionIds.map(user),
    mention_everyone: options.mentionEveryone ?? false,
    mention_roles: options.mentionRoleIds ?? [],
    ...(options.webhookId ? { webhook_id: options.webhookId } : {}),
    member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
  };
}

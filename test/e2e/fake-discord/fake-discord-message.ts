/** A channel message the bot posted, as the fake records its body. */
export interface PostedMessage {
  content?: string;
  allowed_mentions?: unknown;
  message_reference?: { message_id?: string };
}

/** A message as the fake stores it. */
export interface FakeDiscordMessage {
  id: string;
  channelId: string;
  authorId: string;
  content: string;
  bot?: boolean;
  /** 0 default, 19 reply, 7 member join, ... */
  type?: number;
  flags?: number;
  timestampMs?: number;
  /** The `nonce` it was created with (Discord returns it only in the create response). */
  nonce?: string;
}

/** The message object Discord's REST API returns, with every field discord.js reads. */
export function messageJson(message: FakeDiscordMessage, guildId?: string): Record<string, unknown> {
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: {
      id: message.authorId,
      username: `user${message.authorId.slice(-4)}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
      ...(message.bot ? { bot: true } : {}),
    },
    content: message.content,
    timestamp: new Date(message.timestampMs ?? Date.now()).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: message.type ?? 0,
    flags: message.flags ?? 0,
    components: [],
  };
}

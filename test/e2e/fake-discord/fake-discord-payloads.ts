import { messageJson, type FakeDiscordMessage } from './fake-discord-message.js';
import type { FakeChannel } from './fake-discord.js';
import { snowflake } from './snowflake.js';

/** Permissions of a plain member: View Channel, Send Messages, Read Message History, Use Application Commands. */
const EVERYONE_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n);

/** A channel or thread object with every field discord.js reads. */
export function channelJson(channel: FakeChannel, guildId: string): Record<string, unknown> {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: guildId,
    name: channel.type === 11 ? 'a-thread' : 'general',
    position: 0,
    permission_overwrites: [],
    ...(channel.parentId
      ? {
          parent_id: channel.parentId,
          owner_id: snowflake(),
          thread_metadata: {
            archived: false,
            auto_archive_duration: 1440,
            locked: false,
            archive_timestamp: new Date().toISOString(),
          },
        }
      : {}),
  };
}

/** READY: the bot user, one unavailable guild (GUILD_CREATE follows), the session and application. */
export function readyJson(botUserId: string, applicationId: string, guildId: string, gatewayUrl: string) {
  return {
    v: 10,
    user: { id: botUserId, username: 'lstm-bot', discriminator: '0', global_name: null, avatar: null, bot: true },
    guilds: [{ id: guildId, unavailable: true }],
    session_id: `session-${snowflake()}`,
    resume_gateway_url: gatewayUrl,
    shard: [0, 1],
    application: { id: applicationId, flags: 0 },
  };
}

/** GUILD_CREATE for the fake's one guild with its text channels and threads. */
export function guildCreateJson(guildId: string, channels: FakeChannel[]) {
  return {
    id: guildId,
    name: 'Fake Guild',
    icon: null,
    owner_id: snowflake(),
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    features: [],
    roles: [{ id: guildId, name: '@everyone', permissions: String(EVERYONE_PERMISSIONS), position: 0, color: 0 }],
    emojis: [],
    stickers: [],
    channels: channels.filter((c) => c.type === 0).map((c) => channelJson(c, guildId)),
    threads: channels.filter((c) => c.type === 11).map((c) => channelJson(c, guildId)),
    members: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    member_count: 2,
    large: false,
    unavailable: false,
    joined_at: new Date().toISOString(),
  };
}

export interface InteractionJsonOptions {
  id: string;
  token: string;
  applicationId: string;
  /** Absent for a DM. */
  guildId: string | undefined;
  channel: FakeChannel;
  user: { id: string; username: string; discriminator: string; global_name: null; avatar: null };
  name: string;
  options: unknown[];
  permissions: bigint;
  appPermissions: bigint;
  /** A message command (type 3) on this message, sent in `resolved.messages`; a slash command otherwise. */
  target?: FakeDiscordMessage;
}

/** The interaction's `data`: a slash command's options, or a message command's target message. */
function commandData(o: InteractionJsonOptions): Record<string, unknown> {
  if (!o.target) return { id: snowflake(), name: o.name, type: 1, options: o.options };
  const resolved = { messages: { [o.target.id]: messageJson(o.target, o.guildId) } };
  return { id: snowflake(), name: o.name, type: 3, target_id: o.target.id, resolved };
}

/** INTERACTION_CREATE for a slash or message command, from a guild channel (with a member) or a DM (with a user). */
export function interactionJson(o: InteractionJsonOptions): Record<string, unknown> {
  const base = {
    id: o.id,
    application_id: o.applicationId,
    type: 2,
    token: o.token,
    version: 1,
    data: commandData(o),
    app_permissions: String(o.appPermissions),
    locale: 'en-US',
    entitlements: [],
    attachment_size_limit: 8_388_608,
    channel_id: o.channel.id,
  };
  if (o.guildId === undefined) {
    return {
      ...base,
      user: o.user,
      context: 1,
      authorizing_integration_owners: { '0': '0' },
      channel: { id: o.channel.id, type: 1, recipients: [o.user] },
    };
  }
  return {
    ...base,
    guild_id: o.guildId,
    guild_locale: 'en-US',
    context: 0,
    authorizing_integration_owners: { '0': o.guildId },
    channel: channelJson(o.channel, o.guildId),
    member: {
      user: o.user,
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: String(o.permissions),
    },
  };
}

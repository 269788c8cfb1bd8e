import { z } from 'zod';
import { CodedError } from '../errors/coded-error.js';

export const PLATFORMS = ['discord', 'slack', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * A workspace, channel or user id as every platform writes them: Discord snowflakes (digits), Slack
 * ids (`T0123ABC`, `C0123ABC`, `U0123ABC`), console channel names. No `/`, `:`, `*` or space, so an
 * id is one segment of a Redis key or of a path, and `T1/a` + `b` cannot pose as `T1` + `a/b`.
 */
const CHAT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const chatIdSchema = z.string().regex(CHAT_ID, 'must be 1 to 64 letters, digits, - or _');

/** The one check of ids at the edge: adapters, job data and the import command all use it. */
export const channelRefSchema = z.object({
  platform: z.enum(PLATFORMS),
  workspace: chatIdSchema,
  channel: chatIdSchema,
});

/**
 * A channel, named so that two platforms or two workspaces can never collide: settings, models and
 * stored messages are all keyed by it. Build one from platform input only through `channelRefSchema`
 * (or `isChatId`): keys refuse anything else.
 */
export interface ChannelRef {
  platform: Platform;
  /** Discord guild id, Slack team id, or `local` for the console. */
  workspace: string;
  /** Channel (or thread) id. */
  channel: string;
}

export function isChatId(value: unknown): value is string {
  return typeof value === 'string' && CHAT_ID.test(value);
}

/** Thrown by the key builders for an id that never went through `channelRefSchema`: a bug, never user input. */
function invalidChatId(what: string): CodedError<'INVALID_CHAT_ID'> {
  return new CodedError('INVALID_CHAT_ID', `${what} is not a valid id (1 to 64 letters, digits, - or _)`);
}

/** `slack/T1`: the key form of a workspace (opt-outs); refuses invalid ids so that no two workspaces share it. */
export function workspaceKey(platform: Platform, workspace: string): string {
  if (!PLATFORMS.includes(platform)) throw invalidChatId('the platform');
  if (!isChatId(workspace)) throw invalidChatId('the workspace');
  return `${platform}/${workspace}`;
}

/**
 * `discord/123/456`: the key form used in Redis keys and model store paths. Unambiguous because
 * neither id may contain `/` (it throws `INVALID_CHAT_ID` for one that does).
 */
export function channelKey(ref: ChannelRef): string {
  if (!isChatId(ref.channel)) throw invalidChatId('the channel');
  return `${workspaceKey(ref.platform, ref.workspace)}/${ref.channel}`;
}

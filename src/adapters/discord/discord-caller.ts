import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { Caller } from '../../commands/caller.js';

/**
 * Maps a member's permissions in the interaction's channel (Discord computes them with channel
 * overwrites; Administrator implies all) to the platform-neutral rights.
 */
export function discordCaller(userId: string, permissions: Readonly<PermissionsBitField> | null): Caller {
  return {
    userId,
    canManageChannel: permissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    canManageWorkspace: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

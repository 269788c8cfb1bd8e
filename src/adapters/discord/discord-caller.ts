import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { Caller } from '../../commands/caller.js';
import type { Right } from '../../commands/command-policy.js';

/** The Discord permission that grants each right of the command policy. */
export const DISCORD_PERMISSION_OF: Readonly<Record<Exclude<Right, 'everyone'>, bigint>> = {
  manageChannel: PermissionFlagsBits.ManageChannels,
  manageWorkspace: PermissionFlagsBits.ManageGuild,
};

/**
 * Maps a member's permissions in the interaction's channel (Discord computes them with channel
 * overwrites; Administrator implies all) to the platform-neutral rights.
 */
export function discordCaller(userId: string, permissions: Readonly<PermissionsBitField> | null): Caller {
  return {
    userId,
    canManageChannel: permissions?.has(DISCORD_PERMISSION_OF.manageChannel) ?? false,
    canManageWorkspace: permissions?.has(DISCORD_PERMISSION_OF.manageWorkspace) ?? false,
  };
}

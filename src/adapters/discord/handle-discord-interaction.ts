import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { channelRefSchema, isChatId } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { discordCaller } from './discord-caller.js';
import type { DiscordCommandLimits } from './discord-command-limits.js';
import { discordCommandPolicy } from './discord-command-policy.js';
import { discordReplies } from './discord-replies.js';
import { parseDiscordCommand } from './parse-discord-command.js';

export interface DiscordInteractionDeps {
  sink: CommandEntry;
  sender: ReplySender;
  limits: DiscordCommandLimits;
  logger: Logger;
}

/** Discord accepts edits for 15 minutes; stop trusting the token a little before. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

/**
 * One slash command, from arrival to the deferred response: refusals that can be known at once
 * (DMs, bad options, missing rights) are answered privately before deferring; everything else is
 * deferred within Discord's 3 seconds, handed to the command sink, and answered by editing the
 * deferred response.
 */
export async function handleDiscordInteraction(interaction: Interaction, deps: DiscordInteractionDeps): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const arrived = performance.now();
  const acknowledged = () => deps.sink.acknowledged?.('discord', performance.now() - arrived);
  const log = deps.logger.child({
    platform: 'discord',
    channel: interaction.channelId,
    commandName: interaction.commandName,
  });
  let replyTo: ReplyAddress | undefined;
  try {
    if (!interaction.inGuild()) return await answerPrivately(interaction, discordReplies.dmNotSupported, acknowledged);
    const checked = channelRefSchema.safeParse({
      platform: 'discord',
      workspace: interaction.guildId,
      channel: interaction.channelId,
    });
    if (!checked.success || !isChatId(interaction.user.id)) {
      log.warn('interaction with malformed ids refused');
      return await answerPrivately(interaction, renderReply('command.malformed'), acknowledged);
    }
    const channel = checked.data;
    const parsed = parseDiscordCommand(interaction, deps.limits);
    if (!parsed.ok) return await answerPrivately(interaction, parsed.problem, acknowledged);
    const command = parsed.command;
    const caller = discordCaller(interaction.user.id, interaction.memberPermissions);
    const policy = discordCommandPolicy(command);
    if (policy.needs === 'channel' && !caller.canManageChannel) {
      return await answerPrivately(interaction, renderReply('temperature.forbidden'), acknowledged);
    }
    if (policy.needs === 'workspace' && !caller.canManageWorkspace) {
      return await answerPrivately(interaction, discordReplies.needsManageServer, acknowledged);
    }
    if (needsHistory(command) && !canReadHistory(interaction)) {
      return await answerPrivately(interaction, discordReplies.botNeedsHistory, acknowledged);
    }

    await interaction.deferReply(policy.visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {});
    acknowledged();
    replyTo = {
      platform: 'discord',
      applicationId: interaction.applicationId,
      interactionToken: interaction.token,
      channelId: interaction.channelId,
      expiresAt: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
    };
    log.debug({ userId: caller.userId, command }, 'discord command');
    const outcome = await deps.sink.handleCommand(command, { channel, caller, replyTo });
    // A queued job answers later through the reply sender; meanwhile Discord shows "thinking".
    if (outcome.pendingJobId === undefined) {
      await deps.sender.send(replyTo, { text: outcome.text, visibility: outcome.visibility });
    }
  } catch (error) {
    log.error({ err: error }, 'discord command failed');
    await tellInternalError(interaction, replyTo, deps.sender).catch((second: unknown) => {
      log.warn({ err: second }, 'could not tell the user about the failure');
    });
  }
}

async function answerPrivately(
  interaction: ChatInputCommandInteraction,
  text: string,
  acknowledged?: () => void,
): Promise<void> {
  await interaction.reply({
    content: text,
    flags: MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds,
    allowedMentions: { parse: [] },
  });
  acknowledged?.();
}

function needsHistory(command: ChatCommand): boolean {
  return command.name === 'retrain' && command.action === 'start';
}

function canReadHistory(interaction: ChatInputCommandInteraction): boolean {
  return interaction.appPermissions.has(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
}

async function tellInternalError(
  interaction: ChatInputCommandInteraction,
  replyTo: ReplyAddress | undefined,
  sender: ReplySender,
): Promise<void> {
  if (replyTo) await sender.send(replyTo, { text: renderReply('command.internalError'), visibility: 'private' });
  else if (!interaction.replied && !interaction.deferred)
    await answerPrivately(interaction, renderReply('command.internalError'));
}

import {
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { channelRefSchema, isChatId } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { discordCaller } from './discord-caller.js';
import type { CommandLimits } from '../../commands/command-limits.js';
import { actionRule } from '../../commands/command-policy.js';
import { discordRefusal } from './discord-preconditions.js';
import { parseDiscordCommand, parseMessageCommand } from './parse-discord-command.js';

export interface DiscordInteractionDeps {
  sink: CommandEntry;
  sender: ReplySender;
  limits: CommandLimits;
  logger: Logger;
}

/** Discord accepts edits for 15 minutes; stop trusting the token a little before. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

/** The interactions answered: slash commands and the message command ("Continue this message"). */
type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/**
 * One slash command or message command, from arrival to the deferred response: refusals that can be known at once
 * (DMs, bad options, missing rights) are answered privately before deferring; everything else is
 * deferred within Discord's 3 seconds, handed to the command sink, and answered by editing the
 * deferred response.
 */
export async function handleDiscordInteraction(interaction: Interaction, deps: DiscordInteractionDeps): Promise<void> {
  if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand()) return;
  const arrived = performance.now();
  const acknowledged = () => deps.sink.acknowledged?.('discord', performance.now() - arrived);
  const log = deps.logger.child({
    platform: 'discord',
    channel: interaction.channelId,
    commandName: interaction.commandName,
  });
  let replyTo: ReplyAddress | undefined;
  try {
    if (!interaction.inGuild())
      return await answerPrivately(interaction, renderReply('discord.dmNotSupported'), acknowledged);
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
    const command = interaction.isChatInputCommand()
      ? parseDiscordCommand(interaction)
      : parseMessageCommand(interaction);
    if (!command) return await answerPrivately(interaction, renderReply('discord.unknownCommand'), acknowledged);
    const caller = discordCaller(interaction.user.id, interaction.memberPermissions);
    const refusal = discordRefusal(command, caller, deps.limits);
    if (refusal !== undefined) return await answerPrivately(interaction, refusal, acknowledged);
    if (needsHistory(command) && !canReadHistory(interaction)) {
      return await answerPrivately(interaction, renderReply('discord.botNeedsHistory'), acknowledged);
    }

    const { visibility } = actionRule(command);
    await interaction.deferReply(visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {});
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
  interaction: CommandInteraction,
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

function canReadHistory(interaction: CommandInteraction): boolean {
  return interaction.appPermissions.has(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
}

async function tellInternalError(
  interaction: CommandInteraction,
  replyTo: ReplyAddress | undefined,
  sender: ReplySender,
): Promise<void> {
  if (replyTo) await sender.send(replyTo, { text: renderReply('command.internalError'), visibility: 'private' });
  else if (!interaction.replied && !interaction.deferred)
    await answerPrivately(interaction, renderReply('command.internalError'));
}

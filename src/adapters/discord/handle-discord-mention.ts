import type { Message } from 'discord.js';
import type { Caller } from '../../commands/caller.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { channelRefSchema, isChatId } from '../../commands/channel-ref.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { mentionPrompt } from './mention-prompt.js';

export interface DiscordMentionDeps {
  sink: CommandEntry;
  sender: ReplySender;
  logger: Logger;
}

/**
 * A guild message that mentions the bot user (not `@everyone` nor a role) becomes a `/continue` of
 * the text after the mention, through the same handlers, rate limits and queue; its answer (or a
 * refusal: the channel sees it, a plain message has no private answers) replies to the message. The
 * handlers give no answer while the channel's `mentions` setting is off. Messages of bots (this one
 * included) and webhooks are ignored. Never throws.
 */
export async function handleDiscordMention(message: Message, deps: DiscordMentionDeps): Promise<void> {
  const botId = message.client.user.id;
  if (message.author.bot || message.author.id === botId || message.webhookId !== null) return;
  if (!message.inGuild() || !message.mentions.users.has(botId)) return;
  const log = deps.logger.child({ platform: 'discord', channel: message.channelId, commandName: 'mention' });
  const checked = channelRefSchema.safeParse({
    platform: 'discord',
    workspace: message.guildId,
    channel: message.channelId,
  });
  if (!checked.success || !isChatId(message.author.id)) return log.warn('mention with malformed ids ignored');
  const caller: Caller = { userId: message.author.id, canManageChannel: false, canManageWorkspace: false };
  const replyTo: ReplyAddress = {
    platform: 'discord',
    channelId: message.channelId,
    expiresAt: 0,
    replyToMessageId: message.id,
  };
  try {
    const prompt = mentionPrompt(message.content, botId);
    const outcome = await deps.sink.handleCommand(
      { name: 'continue', prompt, via: 'mention' },
      { channel: checked.data, caller, replyTo, requestId: `discord-message:${message.id}` },
    );
    // A queued answer follows through reply delivery; an empty outcome (mentions off, a replay) says nothing.
    if (outcome.pendingJobId !== undefined || outcome.text === '') return;
    await deps.sender.send(replyTo, { text: outcome.text, visibility: 'public' });
  } catch (error) {
    log.warn({ err: error }, 'could not answer a mention');
  }
}

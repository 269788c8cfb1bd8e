import type { CommandEntry } from '../../commands/chat-adapter.js';
import type { CommandOutcome } from '../../commands/command-context.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import { slackMentionPrompt } from './slack-mention-prompt.js';

/** A Slack message that asks for a continuation of its text: a mention, or one chosen by a shortcut. */
export interface SlackMessageRequest {
  team: string;
  channel: string;
  /** Who asked: the mentioning user, or the one who used the shortcut. */
  user: string;
  text: string;
  threadTs: string | undefined;
  via: 'mention' | 'message';
  /** The replay guard's id of the request (the event's or the trigger's). */
  requestId: string;
}

/**
 * Runs the `/continue` a Slack message asks for (its text without the bot's own mentions is the
 * prompt) through the same handlers, rate limits and queue as the slash command; the answer goes to
 * the channel, in the message's thread when it was in one.
 */
export async function continueSlackMessage(
  request: SlackMessageRequest,
  botUserId: string | undefined,
  commands: CommandEntry,
): Promise<{ outcome: CommandOutcome; replyTo: ReplyAddress }> {
  const { team, channel, user, threadTs } = request;
  const replyTo: ReplyAddress = {
    platform: 'slack',
    channelId: channel,
    userId: user,
    expiresAt: 0,
    ...(threadTs === undefined ? {} : { threadTs }),
  };
  const outcome = await commands.handleCommand(
    { name: 'continue', prompt: slackMentionPrompt(request.text, botUserId), via: request.via },
    {
      channel: { platform: 'slack', workspace: team, channel },
      caller: { userId: user, canManageChannel: false, canManageWorkspace: false },
      replyTo,
      requestId: request.requestId,
    },
  );
  return { outcome, replyTo };
}

/**
 * Sends an outcome that is not a queued answer (a refusal) to the asker; a queued answer follows
 * through reply delivery, and an empty outcome (the switch off for mentions, a replay) says nothing.
 */
export async function sendUnqueued(replySender: ReplySender, replyTo: ReplyAddress, outcome: CommandOutcome) {
  if (outcome.pendingJobId !== undefined || outcome.text === '') return;
  await replySender.send(replyTo, { text: outcome.text, visibility: outcome.visibility });
}

import type { ChannelRef } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { parseSlackCommand } from './parse-slack-command.js';
import { RESPONSE_URL_LIFETIME_MS } from './response-url-uses.js';
import { safeSlackText } from './safe-slack-text.js';
import type { SlackCommandKind } from './slack-command-names.js';
import type { SlackRights } from './slack-rights.js';

/** The fields of Slack's slash command payload this adapter reads. */
export interface SlashCommandPayload {
  command: string;
  text: string;
  team_id: string;
  channel_id: string;
  user_id: string;
  response_url: string;
}

export type SlashAck = (response?: { response_type: 'ephemeral'; text: string }) => Promise<void>;

export interface SlashCommandDeps {
  /** The command handlers (`CommandHandlers`). */
  commands: CommandEntry;
  rights: SlackRights;
  replySender: ReplySender;
  logger: Logger;
  now?: () => number;
}

/**
 * One slash command, start to end: parse; on a mistake acknowledge with the usage line (only the
 * caller sees it) and stop; otherwise acknowledge at once (Slack allows 3 seconds), then resolve the
 * caller's rights, hand the command to the handlers and post its immediate answer. A failure reaches
 * the caller as a private apology, never the channel.
 */
export async function handleSlashCommand(
  kind: SlackCommandKind,
  payload: SlashCommandPayload,
  ack: SlashAck,
  { commands, rights, replySender, logger, now = Date.now }: SlashCommandDeps,
): Promise<void> {
  const arrived = performance.now();
  const parsed = parseSlackCommand(kind, payload.text, payload.command);
  const channel: ChannelRef = { platform: 'slack', workspace: payload.team_id, channel: payload.channel_id };
  const log = logger.child({ platform: 'slack', channel: payload.channel_id, command: kind });
  if (!parsed.ok) {
    await ack({ response_type: 'ephemeral', text: safeSlackText(parsed.message) });
    commands.acknowledged?.('slack', performance.now() - arrived);
    log.debug({ text: payload.text }, 'slash command refused by the parser');
    return;
  }
  await ack();
  commands.acknowledged?.('slack', performance.now() - arrived);
  const replyTo: ReplyAddress = {
    platform: 'slack',
    responseUrl: payload.response_url,
    channelId: payload.channel_id,
    userId: payload.user_id,
    expiresAt: now() + RESPONSE_URL_LIFETIME_MS,
  };
  let reply;
  try {
    const caller = await rights.callerFor(payload.team_id, payload.user_id, { lookup: needsRights(parsed.command) });
    log.debug({ text: payload.text, userId: payload.user_id }, 'slash command');
    reply = await commands.handleCommand(parsed.command, { channel, caller, replyTo });
  } catch (error) {
    log.error({ err: error }, 'slash command failed');
    const apology = renderReply('command.internalError');
    await replySender.send(replyTo, { visibility: 'private', text: apology }).catch((sendError: unknown) => {
      log.error({ err: sendError }, 'could not tell the user that the command failed');
    });
    return;
  }
  // An answer that is the first state of a status message (a /retrain) is shown there, publicly.
  if (reply.text === '' || reply.status) return;
  try {
    await replySender.send(replyTo, { text: reply.text, visibility: reply.visibility });
  } catch (error) {
    // The command was carried out (a request queued is answered later): not being able to say so now
    // (a "Thinking…" notice) is no failure of the command, and no apology is due.
    log.warn({ err: error, jobId: reply.pendingJobId }, 'could not post the immediate answer; the command stands');
  }
}

/** Commands whose handler checks rights: only these cost a `users.info` call. */
function needsRights(command: ChatCommand): boolean {
  if (command.name === 'temperature') return command.action !== 'show';
  if (command.name === 'forget') return command.scope === 'channel';
  return command.name === 'retrain';
}

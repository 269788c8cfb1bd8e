import type { ChannelRef } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import type { ReplyAddress, ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import type { CommandEntry } from '../../commands/chat-adapter.js';
import { parseSlackCommand } from './parse-slack-command.js';
import { RESPONSE_URL_LIFETIME_MS } from './response-url-uses.js';
import { safeSlackText } from './safe-slack-text.js';
import { parseSlashCommandPayload } from './slash-command-payload.js';
import type { SlackCommandKind } from './slack-command-names.js';
import type { SlackRights } from './slack-rights.js';

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
 * One slash command, start to end: check the payload whole (a malformed one is acknowledged with a
 * private "could not read" and logged at warn); parse; on a mistake acknowledge with the usage line
 * (only the caller sees it) and stop; otherwise acknowledge at once (Slack allows 3 seconds; nothing
 * before it waits on Redis or Slack), then resolve the caller's rights, hand the command to the
 * handlers (which drop a replayed `requestId`) and post its immediate answer. A failure reaches the
 * caller as a private apology, never the channel.
 */
export async function handleSlashCommand(
  kind: SlackCommandKind,
  body: unknown,
  ack: SlashAck,
  { commands, rights, replySender, logger, now = Date.now }: SlashCommandDeps,
  requestId?: string,
): Promise<void> {
  const arrived = performance.now();
  const checked = parseSlashCommandPayload(body);
  if (!checked.ok) {
    await ack({ response_type: 'ephemeral', text: safeSlackText(renderReply('command.malformed')) });
    commands.acknowledged?.('slack', performance.now() - arrived);
    logger.warn(
      { platform: 'slack', command: kind, fields: checked.fields },
      'malformed slash command payload refused',
    );
    return;
  }
  const payload = checked.payload;
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
  try {
    const caller = await rights.callerFor(payload.team_id, payload.user_id, { lookup: needsRights(parsed.command) });
    log.debug({ text: payload.text, userId: payload.user_id }, 'slash command');
    const reply = await commands.handleCommand(parsed.command, { channel, caller, replyTo, requestId });
    // An answer that is the first state of a status message (a /retrain) is shown there, publicly.
    if (reply.text !== '' && !reply.status) {
      await replySender.send(replyTo, { text: reply.text, visibility: reply.visibility });
    }
  } catch (error) {
    log.error({ err: error }, 'slash command failed');
    const apology = renderReply('command.internalError');
    await replySender.send(replyTo, { visibility: 'private', text: apology }).catch((sendError: unknown) => {
      log.error({ err: sendError }, 'could not tell the user that the command failed');
    });
  }
}

/** Commands whose handler checks rights: only these cost a `users.info` call. */
function needsRights(command: ChatCommand): boolean {
  if (command.name === 'temperature') return command.action !== 'show';
  if (command.name === 'forget') return command.scope === 'channel';
  return command.name === 'retrain';
}

import type { ChannelRef } from '../../commands/channel-ref.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import type { CommandOutcome } from '../../commands/command-context.js';
import { actionRule } from '../../commands/command-policy.js';
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
import { CodedError, isCodedError } from '../../errors/coded-error.js';

type SlashResponse = { response_type: 'ephemeral'; text: string };
export type SlashAck = (response?: SlashResponse) => Promise<void>;

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
 * (only the caller sees it) and stop; otherwise resolve the caller's rights, hand the command to the
 * handlers (which drop a replayed `requestId` and queue the work, within `COMMAND_TIMEOUT_MS`), and
 * only then acknowledge, with the immediate answer as the acknowledgement's body (Slack allows 3
 * seconds). A failure reaches the caller as a private apology in that body, never the channel.
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
    await ack(privately(renderReply('command.malformed')));
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
    await ack(privately(parsed.message));
    commands.acknowledged?.('slack', performance.now() - arrived);
    log.debug({ text: payload.text }, 'slash command refused by the parser');
    return;
  }
  const replyTo: ReplyAddress = {
    platform: 'slack',
    responseUrl: payload.response_url,
    channelId: payload.channel_id,
    userId: payload.user_id,
    expiresAt: now() + RESPONSE_URL_LIFETIME_MS,
  };
  // The command's Redis work (replay guard, rate limits, settings, the job add: each a few ms, bounded
  // by `COMMAND_TIMEOUT_MS`) is done before the acknowledgement, so an acknowledged request is already
  // queued: a bot killed after the ack loses nothing (Slack never sends a slash command again).
  let reply: CommandOutcome;
  try {
    const caller = await withinRightsBudget(
      rights.callerFor(payload.team_id, payload.user_id, { lookup: needsRights(parsed.command) }),
    );
    log.debug({ text: payload.text, userId: payload.user_id }, 'slash command');
    reply = await commands.handleCommand(parsed.command, { channel, caller, replyTo, requestId });
  } catch (error) {
    const unavailable = isCodedError(error, 'SERVICE_UNAVAILABLE');
    log[unavailable ? 'warn' : 'error']({ err: error }, 'slash command failed');
    await ack(privately(renderReply(unavailable ? 'command.unavailable' : 'command.internalError')));
    commands.acknowledged?.('slack', performance.now() - arrived);
    return;
  }
  // A private immediate answer ("Thinking…", a refusal) is the acknowledgement's own body: no post
  // to the response_url is needed for it, and nothing can come between the two. A replayed request
  // has nothing to say; the first state of a status message (a /retrain) is shown there, publicly.
  const inAck = reply.text !== '' && !reply.status && reply.visibility === 'private';
  await ack(inAck ? privately(reply.text) : undefined);
  commands.acknowledged?.('slack', performance.now() - arrived);
  if (inAck || reply.text === '' || reply.status) return;
  try {
    // A public answer (a setting announced) goes through the sender, with its quiet options.
    await replySender.send(replyTo, { text: reply.text, visibility: reply.visibility });
  } catch (error) {
    // The command was carried out: not being able to say so now is no failure of it, and no apology is due.
    log.warn({ err: error }, 'could not post the immediate answer; the command stands');
  }
}

function privately(text: string): SlashResponse {
  return { response_type: 'ephemeral', text: safeSlackText(text) };
}

/**
 * `users.info` (cached) is the one Slack call before the acknowledgement: it gets a share of Slack's
 * 3 seconds that leaves the command its own `COMMAND_TIMEOUT_MS` (2 s by default).
 */
const RIGHTS_BUDGET_MS = 600;

function withinRightsBudget<T>(lookup: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CodedError('SERVICE_UNAVAILABLE', `users.info: no answer within ${RIGHTS_BUDGET_MS} ms`)),
      RIGHTS_BUDGET_MS,
    );
  });
  return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
}

/** Actions the command policy restricts: only these cost a `users.info` call. */
function needsRights(command: ChatCommand): boolean {
  return actionRule(command).right !== 'everyone';
}

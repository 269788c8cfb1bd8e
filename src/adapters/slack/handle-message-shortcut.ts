import type { CommandEntry } from '../../commands/chat-adapter.js';
import type { ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { messageShortcutPayloadSchema } from './message-shortcut-payload.js';
import { continueSlackMessage, sendUnqueued } from './continue-slack-message.js';

export interface MessageShortcutDeps {
  commands: CommandEntry;
  replySender: ReplySender;
  logger: Logger;
}

/**
 * "Continue this message" (a message shortcut): the chosen message's text, as a person reads it and
 * without the bot's own mentions, is the prompt of a `/continue` (`via: 'message'`) through the same
 * handlers, rate limits and queue; answered in the channel, in the message's thread when it was in
 * one. Acknowledged once the command is queued or refused (within `COMMAND_TIMEOUT_MS`, under Slack's
 * 3 s); a refusal (the channel's `continue_message` off, an empty message, a rate limit) goes to the
 * caller only (`chat.postEphemeral`). The payload's `trigger_id` is the request id: a replayed request
 * is dropped. A malformed payload is acknowledged and logged. Never throws.
 * @see https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload
 */
export async function handleMessageShortcut(
  body: unknown,
  ack: () => Promise<void>,
  botUserId: string | undefined,
  { commands, replySender, logger }: MessageShortcutDeps,
): Promise<void> {
  const arrived = performance.now();
  const acknowledge = async () => {
    await ack();
    commands.acknowledged?.('slack', performance.now() - arrived);
  };
  const checked = messageShortcutPayloadSchema.safeParse(body);
  if (!checked.success) {
    await acknowledge();
    return logger.warn({ platform: 'slack' }, 'malformed message shortcut payload ignored');
  }
  const { team, user, channel, message, trigger_id: triggerId } = checked.data;
  const log = logger.child({ platform: 'slack', channel: channel.id, command: 'continue_message' });
  try {
    const { outcome, replyTo } = await continueSlackMessage(
      {
        team: team.id,
        channel: channel.id,
        user: user.id,
        text: message.text ?? '',
        threadTs: message.thread_ts,
        via: 'message',
        requestId: `slack-shortcut:${triggerId}`,
      },
      botUserId,
      commands,
    );
    await acknowledge();
    await sendUnqueued(replySender, replyTo, outcome);
  } catch (error) {
    log.warn({ err: error }, 'could not answer a message shortcut');
  }
}

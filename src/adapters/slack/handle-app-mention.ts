import type { CommandEntry } from '../../commands/chat-adapter.js';
import type { ReplySender } from '../../commands/reply-address.js';
import type { Logger } from '../../ops/logger.js';
import { appMentionPayloadSchema } from './app-mention-payload.js';
import { continueSlackMessage, sendUnqueued } from './continue-slack-message.js';

export interface AppMentionDeps {
  commands: CommandEntry;
  replySender: ReplySender;
  logger: Logger;
}

/**
 * One `app_mention` (Bolt has acknowledged it already): a `/continue` of the text after the mention,
 * through the same handlers, rate limits and queue, answered in the channel, in the mention's thread
 * when it was in one. A refusal goes to the mentioning user only (`chat.postEphemeral`); while the
 * channel's `mentions` setting is off there is no answer. Messages of bots are ignored; the event's
 * `event_id` is the request id, so a retry of an event already handled (`X-Slack-Retry-Num`) is
 * dropped as a replay. Never throws.
 * @see https://docs.slack.dev/reference/events/app_mention
 */
export async function handleAppMention(
  body: unknown,
  botUserId: string | undefined,
  { commands, replySender, logger }: AppMentionDeps,
): Promise<void> {
  const checked = appMentionPayloadSchema.safeParse(body);
  if (!checked.success) return logger.warn({ platform: 'slack' }, 'malformed app_mention event ignored');
  const { team_id: team, event_id: eventId, event } = checked.data;
  if (event.bot_id !== undefined || event.subtype !== undefined || event.user === botUserId) return;
  const log = logger.child({ platform: 'slack', channel: event.channel, command: 'mention' });
  try {
    const { outcome, replyTo } = await continueSlackMessage(
      {
        team,
        channel: event.channel,
        user: event.user,
        text: event.text,
        threadTs: event.thread_ts,
        via: 'mention',
        requestId: `slack-event:${eventId}`,
      },
      botUserId,
      commands,
    );
    await sendUnqueued(replySender, replyTo, outcome);
  } catch (error) {
    log.warn({ err: error }, 'could not answer a mention');
  }
}

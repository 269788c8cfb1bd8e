import { z } from 'zod';
import { chatIdSchema } from '../../commands/channel-ref.js';

/** A Slack message timestamp (`ts`, `thread_ts`): the message's id in its channel. */
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/**
 * The fields of an Events API `event_callback` carrying an `app_mention` that this adapter reads.
 * @see https://docs.slack.dev/reference/events/app_mention
 */
export const appMentionPayloadSchema = z.object({
  team_id: chatIdSchema,
  event_id: z.string().min(1).max(200),
  event: z.object({
    type: z.literal('app_mention'),
    user: chatIdSchema,
    channel: chatIdSchema,
    text: z.string(),
    ts: slackTs,
    thread_ts: slackTs.optional(),
    bot_id: z.string().optional(),
    subtype: z.string().optional(),
  }),
});

export type AppMentionPayload = z.infer<typeof appMentionPayloadSchema>;

import { z } from 'zod';
import { chatIdSchema } from '../../commands/channel-ref.js';
import { slackTs } from './app-mention-payload.js';

/**
 * The fields of an Events API `event_callback` carrying a plain `message` in a channel
 * (`message.channels`, `message.groups`) that this adapter reads. Messages with a `subtype` (edits,
 * deletions, joins, bot messages, ...) have other shapes and do not pass.
 * @see https://docs.slack.dev/reference/events/message
 */
export const messageEventPayloadSchema = z.object({
  team_id: chatIdSchema,
  event_id: z.string().min(1).max(200),
  event: z.object({
    type: z.literal('message'),
    subtype: z.undefined().optional(),
    user: chatIdSchema,
    channel: chatIdSchema,
    channel_type: z.enum(['channel', 'group']).optional(),
    text: z.string(),
    ts: slackTs,
    thread_ts: slackTs.optional(),
    bot_id: z.string().optional(),
  }),
});

export type MessageEventPayload = z.infer<typeof messageEventPayloadSchema>;

import { z } from 'zod';
import { chatIdSchema } from '../../commands/channel-ref.js';

const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/**
 * The fields of a message shortcut's interactivity payload (`type: message_action`, the form field
 * `payload`) that this adapter reads. A message without text (a file only) has none: an empty prompt.
 * @see https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload
 */
export const messageShortcutPayloadSchema = z.object({
  type: z.literal('message_action'),
  callback_id: z.string().min(1).max(255),
  trigger_id: z.string().min(1).max(200),
  team: z.object({ id: chatIdSchema }),
  user: z.object({ id: chatIdSchema }),
  channel: z.object({ id: chatIdSchema }),
  message: z.object({
    text: z.string().max(40_000).optional(),
    ts: slackTs,
    thread_ts: slackTs.optional(),
  }),
});

export type MessageShortcutPayload = z.infer<typeof messageShortcutPayloadSchema>;

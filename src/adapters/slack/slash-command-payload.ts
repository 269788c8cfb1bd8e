import { z } from 'zod';
import { chatIdSchema } from '../../commands/channel-ref.js';

/**
 * The fields of Slack's slash command payload this adapter reads, each exactly once (a repeated form
 * field arrives as an array and is refused), ids as `chatIdSchema` allows them.
 * @see https://docs.slack.dev/interactivity/implementing-slash-commands#app_command_handling
 */
export const slashCommandPayloadSchema = z.object({
  command: z.string().min(1),
  text: z.string(),
  team_id: chatIdSchema,
  channel_id: chatIdSchema,
  user_id: chatIdSchema,
  response_url: z.url({ protocol: /^https?$/ }),
});

export type SlashCommandPayload = z.infer<typeof slashCommandPayloadSchema>;

export type ParsedSlashCommandPayload =
  | { ok: true; payload: SlashCommandPayload }
  | { ok: false; /** The offending field names, for the log (never their values). */ fields: string[] };

/** The payload checked whole before any of it is used. */
export function parseSlashCommandPayload(body: unknown): ParsedSlashCommandPayload {
  const result = slashCommandPayloadSchema.safeParse(body);
  if (result.success) return { ok: true, payload: result.data };
  return { ok: false, fields: [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '(body)')))] };
}

import { z } from 'zod';
import { channelRefSchema, chatIdSchema } from '../commands/channel-ref.js';
import { CONTINUE_VIAS } from '../commands/chat-command.js';
import type { GenerationRequest } from '../commands/generation-queue.js';
import { MAX_CODE_UNITS_PER_PROMPT_CHAR } from '../commands/prompt-chars.js';
import { replyAddressSchema } from './reply-address-schema.js';

/** `MAX_PROMPT_CHARS` is at most 10,000 characters, as `checkBounds` counts them (each a few code units). */
const MAX_PROMPT_CODE_UNITS = 10_000 * MAX_CODE_UNITS_PER_PROMPT_CHAR;

/** One `/continue` on the `generate` queue: who asked, where, what, how, and where the answer goes. */
export const generateJobSchema = z.object({
  v: z.literal(1),
  channel: channelRefSchema,
  userId: chatIdSchema,
  prompt: z.string().trim().min(1).max(MAX_PROMPT_CODE_UNITS),
  options: z.object({
    temperature: z.number().min(0).max(2),
    maxWords: z.number().int().min(1).max(500),
    /** Absent in jobs queued before the option existed: then only the first word is required. */
    minWords: z.number().int().min(0).max(500).optional(),
    seed: z.number().int().optional(),
  }),
  replyTo: replyAddressSchema,
  /** The channel's `context` setting was on (absent: off, and in jobs queued before it existed). */
  context: z.literal(true).optional(),
  /** Epoch ms when the user asked: the latency histogram measures from here. */
  requestedAt: z.number().int().nonnegative(),
  /** Asked by a mention, "Continue this message" or chatter (absent: `/continue`, and in older jobs). */
  via: z.enum(CONTINUE_VIAS).optional(),
});

export type GenerateJobData = z.infer<typeof generateJobSchema>;

/** The port's request and the job data are one shape: this stops compiling when either changes alone. */
export const jobDataIsTheRequest: [GenerateJobData, GenerationRequest] extends [GenerationRequest, GenerateJobData]
  ? true
  : never = true;

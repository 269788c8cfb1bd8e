import { z } from 'zod';
import type { ChannelRef } from '../commands/channel-ref.js';
import { replyAddressSchema } from './reply-address-schema.js';

export const channelRefSchema = z.object({
  platform: z.enum(['discord', 'slack', 'console']),
  workspace: z.string().min(1).max(200),
  channel: z.string().min(1).max(200),
}) satisfies z.ZodType<ChannelRef>;

/** One `/continue` on the `generate` queue: who asked, where, what, how, and where the answer goes. */
export const generateJobSchema = z.object({
  v: z.literal(1),
  channel: channelRefSchema,
  userId: z.string().min(1).max(200),
  prompt: z.string().trim().min(1).max(10_000),
  options: z.object({
    temperature: z.number().min(0).max(2),
    maxWords: z.number().int().min(1).max(500),
    /** Absent in jobs queued before the option existed: then only the first word is required. */
    minWords: z.number().int().min(0).max(500).optional(),
    seed: z.number().int().optional(),
  }),
  replyTo: replyAddressSchema,
  /** Epoch ms when the user asked: the latency histogram measures from here. */
  requestedAt: z.number().int().nonnegative(),
});

export type GenerateJobData = z.infer<typeof generateJobSchema>;

import { z } from 'zod';
import { replyAddressSchema } from './reply-address-schema.js';

/** A finished answer (or an apology) waiting on a `replies-*` queue to be posted. */
export const replyJobSchema = z.object({
  v: z.literal(1),
  generateJobId: z.string().min(1),
  address: replyAddressSchema,
  reply: z.object({ text: z.string(), visibility: z.enum(['public', 'private']) }),
  outcome: z.enum(['answer', 'apology']),
  requestedAt: z.number().int().nonnegative(),
});

export type ReplyJobData = z.infer<typeof replyJobSchema>;

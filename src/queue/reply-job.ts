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
  /**
   * Set when the reply is a new state of a status message: delivered in `seq` order per `key`, an
   * older state arriving after a newer one is dropped (`StatusMessageSequencer`).
   */
  status: z
    .object({
      key: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
      seq: z.number().int().nonnegative(),
      stage: z.string().min(1).max(40),
    })
    .optional(),
});

export type ReplyJobData = z.infer<typeof replyJobSchema>;

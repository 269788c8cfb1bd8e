import { z } from 'zod';
import { channelKey, channelRefSchema, chatIdSchema, type ChannelRef } from '../commands/channel-ref.js';
import { replyAddressSchema } from './reply-address-schema.js';

/** `/retrain` requests, consumed by trainers (`lstm-bot trainer`). */
export const TRAIN_QUEUE = 'train';

/** One training per channel at a time: the job id is the channel's (BullMQ ids may not contain `:`). */
export function trainJobId(channel: ChannelRef): string {
  return `train-${encodeURIComponent(channelKey(channel))}`;
}

export const trainJobSchema = z.object({
  v: z.literal(1),
  /** Unique per request: names its replies and its cancellation. */
  requestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  channel: channelRefSchema,
  userId: chatIdSchema,
  /** Newest stored messages to train on. */
  messages: z.number().int().positive(),
  /**
   * The channel learns live (`/settings learning on`): train on the messages stored as they arrived,
   * without reading the platform's history, and keep them after training (they are the channel's corpus).
   */
  live: z.literal(true).optional(),
  replyTo: replyAddressSchema,
  requestedAt: z.number().int().nonnegative(),
});

export type TrainJobData = z.infer<typeof trainJobSchema>;

/**
 * Attempts for a training that failed; a trainer killed mid-job is another matter: BullMQ's stalled-job
 * check hands the job to another trainer (once), which resumes from the request's checkpoint.
 */
export const trainJobOptions = {
  attempts: 2,
  backoff: { type: 'fixed', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

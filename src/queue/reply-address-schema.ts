import { z } from 'zod';
import type { ReplyAddress } from '../commands/reply-address.js';

const id = z.string().min(1).max(200);

/** Validates a `ReplyAddress` read back from Redis; mirrors the type in `commands/reply-address.ts`. */
export const replyAddressSchema = z.discriminatedUnion('platform', [
  z.object({
    platform: z.literal('discord'),
    applicationId: id.optional(),
    interactionToken: z.string().min(1).max(1_000).optional(),
    channelId: id,
    expiresAt: z.number().int().nonnegative(),
    replyToMessageId: id.optional(),
  }),
  z.object({
    platform: z.literal('slack'),
    responseUrl: z.url().optional(),
    channelId: id,
    userId: id,
    expiresAt: z.number().int().nonnegative(),
    threadTs: id.optional(),
  }),
  z.object({ platform: z.literal('console'), sessionId: id, channelId: id }),
]) satisfies z.ZodType<ReplyAddress>;

import type { JobsOptions } from 'bullmq';

/**
 * Every `generate` job: retried twice with exponential backoff (1 s, 2 s) on Redis or model failures;
 * finished jobs removed after an hour (enough to see a duplicate coming), failed ones after a day.
 * The time limit is enforced by the processor (`GENERATE_TIMEOUT_MS`).
 */
export const generateJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 86_400, count: 10_000 },
} as const satisfies JobsOptions;

/** Reply jobs are kept an hour after posting so a second reply for the same request is recognised. */
export const replyJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600 },
  removeOnFail: { age: 86_400 },
} as const satisfies JobsOptions;

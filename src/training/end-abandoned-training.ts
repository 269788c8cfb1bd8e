import type { Job } from 'bullmq';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { trainJobSchema } from '../queue/train-job.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { TrainingCheckpoint } from './training-checkpoint.js';
import { LAST_STATE, trainingStatusReply } from './training-status-reply.js';

/** BullMQ's reason for a job whose trainers died more often than `maxStalledCount` allows. */
export const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/**
 * Ends a `/retrain` whose trainers were all killed. BullMQ fails such a job in the next trainer that
 * takes it, without running our processor, so no training code would ever tell the channel or
 * delete the request's checkpoint: this does both ("the retraining failed", the current model
 * stays). Idempotent: the final state's reply job id names the request.
 */
export async function endAbandonedTraining(
  options: { outbox: ReplyOutbox; modelsDir: string },
  job: Job,
): Promise<void> {
  const parsed = trainJobSchema.safeParse(job.data);
  if (!parsed.success) return;
  const data = parsed.data;
  await new TrainingCheckpoint(options.modelsDir, data.channel, data.requestId).remove();
  // After every state any of its runs posted (a run is numbered at most attemptsStarted).
  const step = { kind: 'end', attempt: job.attemptsStarted + 1, n: LAST_STATE, failed: true } as const;
  await options.outbox.post(trainingStatusReply(data, step, renderReply('retrain.failed')));
}

import { UnrecoverableError, type Job } from 'bullmq';
import type { Metrics } from '../ops/metrics.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

type Run = TrainingSummary | { cancelled: true };

/**
 * Runs one train job with its metrics kept: the phase it is in (`lstm_bot_training_phase`), its progress
 * (`lstm_bot_training_progress_ratio`, by job) and, at the end, its outcome (`lstm_bot_training_jobs_total`).
 */
export async function withTrainingMetrics(
  metrics: Metrics | undefined,
  job: Pick<Job, 'id' | 'attemptsMade' | 'opts'>,
  run: (onProgress: (progress: TrainingProgress) => void) => Promise<Run>,
): Promise<Run> {
  if (!metrics) return run(() => undefined);
  const labels = { job: job.id ?? 'unknown' };
  let phase = 'queued';
  metrics.trainingPhase.inc({ phase });
  metrics.trainingProgress.set(labels, 0);
  const onProgress = (progress: TrainingProgress) => {
    if (progress.stage !== phase) {
      metrics.trainingPhase.dec({ phase });
      phase = progress.stage;
      metrics.trainingPhase.inc({ phase });
    }
    const ratio = progressRatio(progress);
    if (ratio !== undefined) metrics.trainingProgress.set(labels, ratio);
  };
  let outcome = 'failed';
  try {
    const result = await run(onProgress);
    outcome = 'cancelled' in result ? 'cancelled' : result.published ? 'published' : 'not_improved';
    return result;
  } catch (error) {
    const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    outcome = final ? 'failed' : 'retried';
    throw error;
  } finally {
    metrics.trainingPhase.dec({ phase });
    metrics.trainingProgress.remove(labels);
    metrics.trainingJobs.inc({ outcome });
  }
}

/** How far a run is, 0 to 1, for the phases that say so. */
function progressRatio(progress: TrainingProgress): number | undefined {
  if (progress.stage === 'reading') return progress.total > 0 ? progress.done / progress.total : 0;
  if (progress.stage === 'training') {
    const done = (progress.epoch - 1) * progress.batches + progress.batch;
    return Math.min(1, done / Math.max(1, progress.epochs * progress.batches));
  }
  if (progress.stage === 'evaluating' || progress.stage === 'publishing') return 1;
  return undefined;
}

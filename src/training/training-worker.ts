import { Queue, Worker, type Job } from 'bullmq';
import type { Metrics } from '../ops/metrics.js';
import { TRAIN_QUEUE } from '../queue/train-job.js';
import { endAbandonedTraining, STALLED_TOO_OFTEN } from './end-abandoned-training.js';
import { processTrainJob, type TrainJobOptions } from './process-train-job.js';
import { withTrainingMetrics } from './training-metrics.js';
import { TrainQueuePositions } from './train-queue-positions.js';
import { logRedisErrors } from '../ops/log-redis-errors.js';

export interface TrainingWorkerOptions extends TrainJobOptions {
  metrics?: Metrics;
  /** Trainings at once across the deployment (BullMQ global concurrency). */
  concurrency: number;
  /** How often this trainer looks for waiting requests whose place in the queue changed. */
  positionIntervalMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/**
 * The `train` queue's consumer (`lstm-bot trainer`): each job runs in a forked child process while
 * this process stays free to renew the job's lock, relay progress to the channel's status message,
 * and watch for `/retrain cancel`; meanwhile it keeps waiting requests told their place in the queue.
 */
export class TrainingWorker {
  private constructor(
    readonly worker: Worker,
    private readonly queue: Queue,
    private readonly positions: TrainQueuePositions,
  ) {}

  static async start(options: TrainingWorkerOptions): Promise<TrainingWorker> {
    const queue = new Queue(TRAIN_QUEUE, { connection: options.connection, prefix: options.prefix });
    queue.on('error', () => undefined);
    await queue.setGlobalConcurrency(options.concurrency);
    const processJob = (job: Job) =>
      withTrainingMetrics(options.metrics, job, (observe) => processTrainJob(options, job, observe));
    const worker = new Worker(TRAIN_QUEUE, processJob, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: 1,
    });
    worker.on('error', logRedisErrors(options.logger, 'train worker'));
    worker.on('failed', (job, error) => {
      if (!job || error.message !== STALLED_TOO_OFTEN) return;
      options.logger.warn({ jobId: job.id }, 'training abandoned: its trainers stopped twice');
      endAbandonedTraining(options, job).catch((failure: unknown) =>
        options.logger.warn({ err: failure, jobId: job.id }, 'could not end an abandoned training'),
      );
    });
    await worker.waitUntilReady();
    const positions = new TrainQueuePositions(
      queue,
      options.outbox,
      options.logger,
      options.positionIntervalMs ?? 5_000,
    );
    positions.start();
    return new TrainingWorker(worker, queue, positions);
  }

  /** Waits for trainings in progress unless `force` (their jobs then run again on another trainer). */
  async close(force = false): Promise<void> {
    await this.positions.stop();
    await this.worker.close(force);
    await this.queue.close();
  }
}

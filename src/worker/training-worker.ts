import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelKey, type Platform } from '../commands/channel-ref.js';
import { collectHistory } from '../history/collect-history.js';
import { historyFailureReply } from '../history/history-failure-reply.js';
import type { HistorySource } from '../history/history-source.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import type { FineTuneOptions } from '../model/fine-tune.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { renderReply, type ReplyKey } from '../replies/reply-catalogue.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { TRAIN_QUEUE, trainJobSchema } from '../queue/train-job.js';
import { trainCancelKey } from './redis-training-control.js';
import { endAbandonedTraining, STALLED_TOO_OFTEN } from './end-abandoned-training.js';
import { renderTrainingProgress, renderTrainingSummary } from './render-training-reply.js';
import { runTrainingChild } from './run-training-child.js';
import { TrainChildError } from './train-child-error.js';
import { TrainingCheckpoint } from './training-checkpoint.js';
import { withTrainingMetrics } from './training-metrics.js';
import { TrainQueuePositions } from './train-queue-positions.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';
import { trainingStatusReply } from './training-status-reply.js';

export interface TrainingWorkerOptions {
  /** A worker connection (`createWorkerRedis`): blocking commands, retried forever. */
  connection: Redis;
  redisUrl: string;
  prefix: string;
  outbox: ReplyOutbox;
  logger: Logger;
  metrics?: Metrics;
  modelsDir: string;
  baseModelDir: string;
  maxStoredMessages: number;
  keepRawHistory: boolean;
  keepVersions: number;
  /** Trainings at once across the deployment (BullMQ global concurrency). */
  concurrency: number;
  timeLimitMs: number;
  /** The training child is stopped when its resident memory exceeds this many MB (undefined: no bound). */
  memoryLimitMb?: number;
  /** The training child's nice value (`TRAIN_NICENESS`; undefined: the trainer's own). */
  niceness?: number;
  fineTune?: Partial<Omit<FineTuneOptions, 'signal' | 'onEvent'>>;
  /** Least time between two training progress replies. */
  progressIntervalMs?: number;
  /** How often this trainer looks for waiting requests whose place in the queue changed. */
  positionIntervalMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Platform history readers: before training, the stored history is brought up to date from them. */
  historySources?: Partial<Record<Platform, HistorySource>>;
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

  static async start(o: TrainingWorkerOptions): Promise<TrainingWorker> {
    const queue = new Queue(TRAIN_QUEUE, { connection: o.connection, prefix: o.prefix });
    queue.on('error', () => undefined);
    await queue.setGlobalConcurrency(o.concurrency);
    const processJob = (job: Job) => withTrainingMetrics(o.metrics, job, (observe) => processTrainJob(o, job, observe));
    const worker = new Worker(TRAIN_QUEUE, processJob, {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 30_000,
      maxStalledCount: 1,
    });
    worker.on('error', (error) => o.logger.warn({ err: error }, 'train worker error'));
    worker.on('failed', (job, error) => {
      if (!job || error.message !== STALLED_TOO_OFTEN) return;
      o.logger.warn({ jobId: job.id }, 'training abandoned: its trainers stopped twice');
      endAbandonedTraining(o, job).catch((failure: unknown) =>
        o.logger.warn({ err: failure, jobId: job.id }, 'could not end an abandoned training'),
      );
    });
    await worker.waitUntilReady();
    const positions = new TrainQueuePositions(queue, o.outbox, o.logger, o.positionIntervalMs ?? 5_000);
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

async function processTrainJob(
  o: TrainingWorkerOptions,
  job: Job,
  observe: (progress: TrainingProgress) => void,
): Promise<TrainingSummary | { cancelled: true }> {
  const parsed = trainJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid train job: ${parsed.error.message}`);
  const data = parsed.data;
  const log = o.logger.child({ jobId: job.id, platform: data.channel.platform, channel: channelKey(data.channel) });
  const attempt = job.attemptsMade + 1;
  let replies = 0;
  // Runs of the job so far: a stalled job (its trainer was killed) runs again without a new attempt,
  // and its states must not reuse the ids (and so the dedupe) of the killed run's.
  const run = Math.max(attempt, job.attemptsStarted);
  const progressReply = (text: string, stage: string): Promise<boolean> =>
    o.outbox.post(trainingStatusReply(data, { kind: 'progress', attempt: run, n: ++replies, stage }, text));
  const endReply = (text: string, failed = true): Promise<boolean> =>
    o.outbox.post(trainingStatusReply(data, { kind: 'end', attempt: run, n: ++replies, failed }, text));
  const final = (key: ReplyKey): Promise<boolean> => endReply(renderReply(key as 'retrain.failed'));

  const controller = new AbortController();
  const cancelKey = trainCancelKey(o.prefix, data.channel);
  const poll = setInterval(() => {
    o.connection
      .get(cancelKey)
      .then(async (value) => {
        if (value !== data.requestId) return;
        await o.connection.del(cancelKey);
        controller.abort();
      })
      .catch(() => undefined);
  }, 1_000);

  const losses: number[] = [];
  let lastStage: string | undefined;
  let lastPostedAt = 0;
  const onProgress = (progress: TrainingProgress): void => {
    observe(progress);
    if (progress.stage === 'training') losses.push(progress.loss);
    const now = Date.now();
    const newStage = progress.stage !== lastStage;
    if (!newStage && now - lastPostedAt < (o.progressIntervalMs ?? 10_000)) return;
    lastStage = progress.stage;
    lastPostedAt = now;
    void job.updateProgress(progress).catch(() => undefined);
    progressReply(renderTrainingProgress(progress, losses), progress.stage).catch((error: unknown) =>
      log.warn({ err: error }, 'could not post training progress'),
    );
  };

  const checkpoint = new TrainingCheckpoint(o.modelsDir, data.channel, data.requestId);
  await checkpoint
    .removeOthers()
    .catch((error: unknown) => log.warn({ err: error }, 'could not delete old checkpoints'));
  // Resuming an interrupted run: the messages it trained on stay as they were (no new ones collected).
  const resuming = await checkpoint.exists();
  log.info({ attempt, messages: data.messages, resuming }, 'training started');
  const source = o.historySources?.[data.channel.platform];
  if (source && !resuming) {
    try {
      const history = new RedisHistoryStore(o.connection, o.prefix, o.maxStoredMessages);
      const report = await collectHistory(history, data.channel, source, {
        maxMessages: data.messages,
        signal: controller.signal,
        onProgress: (read) => onProgress({ stage: 'collecting', read }),
      });
      log.info({ read: report.read, stored: report.stored, total: report.total }, 'history collected');
    } catch (error) {
      clearInterval(poll);
      if (controller.signal.aborted) {
        await final('retrain.cancelled');
        return { cancelled: true };
      }
      log.warn({ err: error }, 'could not read the channel history');
      const detail = String((error as Error)?.message ?? error).slice(0, 300);
      await endReply(historyFailureReply(error));
      throw new UnrecoverableError(`history: ${detail}`);
    }
  }
  let peakRssMb = 0;
  let endsJob = true;
  try {
    const summary = await runTrainingChild(
      {
        redisUrl: o.redisUrl,
        prefix: o.prefix,
        modelsDir: o.modelsDir,
        baseModelDir: o.baseModelDir,
        channel: data.channel,
        requestId: data.requestId,
        messages: data.messages,
        maxStoredMessages: o.maxStoredMessages,
        keepRawHistory: o.keepRawHistory,
        keepVersions: o.keepVersions,
        fineTune: { ...o.fineTune, timeBudgetMs: Math.round(o.timeLimitMs * 0.8) },
      },
      {
        onProgress,
        signal: controller.signal,
        timeLimitMs: o.timeLimitMs,
        memoryLimitMb: o.memoryLimitMb,
        niceness: o.niceness,
        onPeakMemory: (mb) => void (peakRssMb = Math.round(mb)),
        onCheckpointIgnored: (reason) => log.warn({ reason }, 'not resuming from the checkpoint: training starts over'),
      },
    );
    log.info({ ...summary, sampleWords: undefined, peakRssMb }, 'training finished');
    await endReply(renderTrainingSummary(summary), false);
    return summary;
  } catch (error) {
    const code = error instanceof TrainChildError ? error.code : 'INTERNAL';
    log.warn({ err: error, code, attempt, peakRssMb }, 'training did not finish');
    if (code === 'TRAINING_ABORTED') {
      await final('retrain.cancelled');
      return { cancelled: true };
    }
    if (code === 'CORPUS_TOO_SMALL') {
      await final('retrain.tooFew');
      throw new UnrecoverableError((error as Error).message);
    }
    if (code === 'TRAIN_MEMORY_LIMIT') {
      await endReply(renderReply('retrain.outOfMemory', { limitMb: o.memoryLimitMb ?? 0 }));
      throw new UnrecoverableError((error as Error).message);
    }
    if (code === 'TRAIN_TIMEOUT') {
      await final('retrain.timedOut');
      throw new UnrecoverableError((error as Error).message);
    }
    if (attempt >= (job.opts.attempts ?? 1)) await final('retrain.failed');
    else endsJob = false;
    throw error;
  } finally {
    clearInterval(poll);
    // The next attempt of the job resumes from the checkpoint; once the job ends, it goes.
    if (endsJob)
      await checkpoint.remove().catch((error: unknown) => log.warn({ err: error }, 'could not delete the checkpoint'));
  }
}

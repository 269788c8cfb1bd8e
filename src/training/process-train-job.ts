import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelKey, type Platform } from '../commands/channel-ref.js';
import { isCodedError } from '../errors/coded-error.js';
import { collectHistory } from '../history/collect-history.js';
import type { HistorySource } from '../history/history-source.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import type { FineTuneOptions } from '../model/training/fine-tune.js';
import type { Logger } from '../ops/logger.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { trainJobSchema, type TrainJobData } from '../queue/train-job.js';
import { codeReply, replyTextFor } from '../replies/error-to-reply.js';
import { renderReply } from '../replies/reply-catalogue.js';
import { watchForCancel } from './cancel-watcher.js';
import { throttleProgress } from './progress-throttle.js';
import { trainCancelKey } from './redis-training-control.js';
import { renderTrainingProgress, renderTrainingSummary } from './render-training-reply.js';
import { runTrainingChild } from './run-training-child.js';
import { TrainingCheckpoint } from './training-checkpoint.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';
import { TrainingReplies } from './training-replies.js';

export interface TrainJobOptions {
  /** A worker connection (`createWorkerRedis`): blocking commands, retried forever. */
  connection: Redis;
  redisUrl: string;
  prefix: string;
  outbox: ReplyOutbox;
  logger: Logger;
  modelsDir: string;
  baseModelDir: string;
  maxStoredMessages: number;
  keepRawHistory: boolean;
  keepVersions: number;
  timeLimitMs: number;
  /** The training child is stopped when its resident memory exceeds this many MB (undefined: no bound). */
  memoryLimitMb?: number;
  /** The training child's nice value (`TRAIN_NICENESS`; undefined: the trainer's own). */
  niceness?: number;
  fineTune?: Partial<Omit<FineTuneOptions, 'signal' | 'onEvent'>>;
  /** Least time between two training progress replies. */
  progressIntervalMs?: number;
  /** Platform history readers: before training, the stored history is brought up to date from them. */
  historySources?: Partial<Record<Platform, HistorySource>>;
}

export type TrainJobOutcome = TrainingSummary | { cancelled: true };

/** What the steps of one run of a train job share. */
interface TrainRun {
  o: TrainJobOptions;
  job: Job;
  data: TrainJobData;
  log: Logger;
  attempt: number;
  replies: TrainingReplies;
  signal: AbortSignal;
  onProgress: (progress: TrainingProgress) => void;
}

/**
 * One run of a train job: watch for `/retrain cancel`, relay throttled progress to the status message,
 * bring the stored history up to date (unless resuming a checkpoint), train in a child process, and end
 * with a summary or the reply of what went wrong (`codeReply`).
 */
export async function processTrainJob(
  options: TrainJobOptions,
  job: Job,
  observe: (progress: TrainingProgress) => void,
): Promise<TrainJobOutcome> {
  const parsed = trainJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid train job: ${parsed.error.message}`);
  const data = parsed.data;
  const log = options.logger.child({
    jobId: job.id,
    platform: data.channel.platform,
    channel: channelKey(data.channel),
  });
  const attempt = job.attemptsMade + 1;
  const replies = new TrainingReplies(options.outbox, data, Math.max(attempt, job.attemptsStarted));
  const cancel = watchForCancel(options.connection, trainCancelKey(options.prefix, data.channel), data.requestId);
  const post = (progress: TrainingProgress, losses: readonly number[]): void => {
    void job.updateProgress(progress).catch(() => undefined);
    replies
      .progress(renderTrainingProgress(progress, losses), progress.stage)
      .catch((error: unknown) => log.warn({ err: error }, 'could not post training progress'));
  };
  const relay = throttleProgress(options.progressIntervalMs ?? 10_000, post);
  const onProgress = (progress: TrainingProgress): void => {
    observe(progress);
    relay(progress);
  };
  const run: TrainRun = { o: options, job, data, log, attempt, replies, signal: cancel.signal, onProgress };
  try {
    return await trainFromCheckpointOrHistory(run);
  } finally {
    cancel.stop();
  }
}

async function trainFromCheckpointOrHistory(run: TrainRun): Promise<TrainJobOutcome> {
  const { o, data, log } = run;
  const checkpoint = new TrainingCheckpoint(o.modelsDir, data.channel, data.requestId);
  await checkpoint
    .removeOthers()
    .catch((error: unknown) => log.warn({ err: error }, 'could not delete old checkpoints'));
  // Resuming an interrupted run: the messages it trained on stay as they were (no new ones collected).
  const resuming = await checkpoint.exists();
  log.info({ attempt: run.attempt, messages: data.messages, resuming }, 'training started');
  // A channel that learns live trains on what it stored as messages arrived: no history is read.
  if (!resuming && !data.live && (await collectChannelHistory(run)) === 'cancelled') return { cancelled: true };
  return trainAndEnd(run, checkpoint);
}

/** Brings the stored history up to date from the platform; a failure ends the job with a reply. */
async function collectChannelHistory(run: TrainRun): Promise<'cancelled' | undefined> {
  const { o, data, log } = run;
  const source = o.historySources?.[data.channel.platform];
  if (!source) return undefined;
  try {
    const history = new RedisHistoryStore(o.connection, o.prefix, o.maxStoredMessages);
    const report = await collectHistory(history, data.channel, source, {
      maxMessages: data.messages,
      signal: run.signal,
      onProgress: (read) => run.onProgress({ stage: 'collecting', read }),
    });
    log.info({ read: report.read, stored: report.stored, total: report.total }, 'history collected');
    return undefined;
  } catch (error) {
    if (run.signal.aborted) {
      await run.replies.end(renderReply('retrain.cancelled'), false); // asked for: no apology
      return 'cancelled';
    }
    log.warn({ err: error }, 'could not read the channel history');
    const detail = String((error as Error)?.message ?? error).slice(0, 300);
    // The reader's own message names channel ids and configuration: it goes to the log, users read the code's sentence.
    await run.replies.end(replyTextFor(error, 'retrain.historyUnreadable'));
    throw new UnrecoverableError(`history: ${detail}`);
  }
}

/** Trains in a child process and posts how it ended; the checkpoint goes once the job ends. */
async function trainAndEnd(run: TrainRun, checkpoint: TrainingCheckpoint): Promise<TrainJobOutcome> {
  const { log } = run;
  const peak = { rssMb: 0 };
  let endsJob = true;
  try {
    const summary = await trainInChild(run, peak);
    log.info({ ...summary, sampleWords: undefined, peakRssMb: peak.rssMb }, 'training finished');
    await run.replies.end(renderTrainingSummary(summary), false);
    return summary;
  } catch (error) {
    const ending = await endFailedTraining(run, error, peak.rssMb);
    endsJob = ending !== 'retry';
    if (ending === 'cancelled') return { cancelled: true };
    throw ending === 'unrecoverable' ? new UnrecoverableError((error as Error).message) : error;
  } finally {
    // The next attempt of the job resumes from the checkpoint; once the job ends, it goes.
    if (endsJob)
      await checkpoint.remove().catch((error: unknown) => log.warn({ err: error }, 'could not delete the checkpoint'));
  }
}

function trainInChild(run: TrainRun, peak: { rssMb: number }): Promise<TrainingSummary> {
  const { o, data, log } = run;
  return runTrainingChild(
    {
      redisUrl: o.redisUrl,
      prefix: o.prefix,
      modelsDir: o.modelsDir,
      baseModelDir: o.baseModelDir,
      channel: data.channel,
      requestId: data.requestId,
      messages: data.messages,
      maxStoredMessages: o.maxStoredMessages,
      // Live-learned messages are the channel's corpus, kept for the next /retrain.
      keepRawHistory: o.keepRawHistory || data.live === true,
      keepVersions: o.keepVersions,
      // The whole limit: the child counts its start-up against it and keeps time free to publish.
      fineTune: { ...o.fineTune, timeBudgetMs: o.timeLimitMs },
    },
    {
      onProgress: run.onProgress,
      signal: run.signal,
      timeLimitMs: o.timeLimitMs,
      memoryLimitMb: o.memoryLimitMb,
      niceness: o.niceness,
      onPeakMemory: (mb) => void (peak.rssMb = Math.round(mb)),
      onCheckpointIgnored: (reason) => log.warn({ reason }, 'not resuming from the checkpoint: training starts over'),
    },
  );
}

/**
 * Posts what a failed training tells the user and says how the job goes on: a cancel ends it; an error
 * whose code has a reply of its own and cannot pass (`CORPUS_TOO_SMALL`, `TRAIN_TIMEOUT`,
 * `TRAIN_MEMORY_LIMIT`) fails it at once; anything else is retried, with an apology on the last attempt.
 */
async function endFailedTraining(
  run: TrainRun,
  error: unknown,
  peakRssMb: number,
): Promise<'cancelled' | 'unrecoverable' | 'failed' | 'retry'> {
  const code = isCodedError(error) ? error.code : 'INTERNAL';
  run.log.warn({ err: error, code, attempt: run.attempt, peakRssMb }, 'training did not finish');
  const reply = codeReply(error);
  if (isCodedError(error, 'TRAINING_ABORTED')) {
    await run.replies.end(renderReply('retrain.cancelled'), false); // asked for: no apology
    return 'cancelled';
  }
  if (reply !== undefined && isCodedError(error) && !error.retryable) {
    await run.replies.end(reply);
    return 'unrecoverable';
  }
  if (run.attempt < (run.job.opts.attempts ?? 1)) return 'retry';
  await run.replies.end(renderReply('retrain.failed'));
  return 'failed';
}

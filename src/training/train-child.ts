/**
 * The training child process: forked by the trainer for each job (tfjs-node's CPU-bound training
 * would block the BullMQ worker's lock renewal in the trainer's own process). Talks to its parent over
 * IPC only, and exits when the parent goes away, so a killed trainer leaves no training behind.
 */
import { channelKey } from '../commands/channel-ref.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import { lowerPriority } from '../ops/lower-priority.js';
import { createRedisClient } from '../queue/redis-connections.js';
import { announceModel } from '../queue/model-announcements.js';
import { fineTuneChannel } from './fine-tune-channel.js';
import type { FromTrainChild, ToTrainChild } from './train-child-protocol.js';
import { TrainingCheckpoint } from './training-checkpoint.js';
import { errorCodeOf, isCodedError } from '../errors/coded-error.js';

const send = (message: FromTrainChild): void => void process.send?.(message);
const controller = new AbortController();

process.on('disconnect', () => process.exit(1));
process.on('message', (message: ToTrainChild) => {
  if (message.type === 'cancel') controller.abort();
  else {
    // Every thread, TensorFlow's included; the parent already lowered the main one at the fork.
    if (message.niceness !== undefined) lowerPriority(message.niceness);
    void run(message.payload);
  }
});

async function run(p: Extract<ToTrainChild, { type: 'start' }>['payload']): Promise<void> {
  const redis = createRedisClient(p.redisUrl, { maxRetriesPerRequest: 3 });
  // Its failures reach the training as rejected commands; without a listener ioredis would also print
  // each one to stderr, whose tail a failed training quotes, pushing the real cause out of it.
  redis.on('error', () => undefined);
  try {
    const summary = await fineTuneChannel({
      history: new RedisHistoryStore(redis, p.prefix, p.maxStoredMessages),
      modelsDir: p.modelsDir,
      baseModelDir: p.baseModelDir,
      channel: p.channel,
      messages: p.messages,
      keepRawHistory: p.keepRawHistory,
      keepVersions: p.keepVersions,
      // The budget counts from the fork: this process's start-up (TensorFlow's loading) is spent already.
      fineTune: {
        ...p.fineTune,
        ...(p.fineTune.timeBudgetMs !== undefined && { timeBudgetMs: p.fineTune.timeBudgetMs - performance.now() }),
      },
      signal: controller.signal,
      checkpoint: {
        store: new TrainingCheckpoint(p.modelsDir, p.channel, p.requestId),
        requestId: p.requestId,
        onIgnored: (reason) => send({ type: 'checkpoint-ignored', reason }),
      },
      onProgress: (progress) => send({ type: 'progress', progress }),
      onPublished: () => announceModel(redis, p.prefix, channelKey(p.channel)),
    });
    send({ type: 'done', summary });
  } catch (error) {
    const details = isCodedError(error) ? { ...error.details } : undefined;
    send({ type: 'failed', code: errorCodeOf(error), message: (error as Error)?.message ?? String(error), details });
  } finally {
    redis.disconnect();
    process.disconnect?.();
  }
}

import { createHash } from 'node:crypto';
import type { ChannelRef } from '../commands/channel-ref.js';
import { channelKey } from '../commands/channel-ref.js';
import type { RedisHistoryStore } from '../history/redis-history-store.js';
import { fineTune, type FineTuneOptions } from '../model/fine-tune.js';
import { loadModel } from '../model/load-model.js';
import { disposeParams } from '../model/lstm-params.js';
import type { ModelCard } from '../model/model-card.js';
import { tfLoad } from '../model/tf.js';
import { TrainingError } from '../model/training-error.js';
import { ChannelModelVersions } from './channel-model-versions.js';
import type { TrainingCheckpoint } from './training-checkpoint.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

export interface RetrainChannelOptions {
  history: RedisHistoryStore;
  modelsDir: string;
  baseModelDir: string;
  channel: ChannelRef;
  /** Newest stored messages to use. */
  messages: number;
  /** Keep the stored history after training (else it is deleted once the run ends). */
  keepRawHistory: boolean;
  keepVersions: number;
  fineTune: Partial<FineTuneOptions>;
  onProgress: (progress: TrainingProgress) => void;
  /** Called after a new version is in place (announce it to the workers). */
  onPublished: (version: string) => Promise<void>;
  signal?: AbortSignal;
  /** Where this request's checkpoints go, and come from when an earlier attempt left one. */
  checkpoint?: { store: TrainingCheckpoint; requestId: string; onIgnored: (reason: string) => void };
}

/** Validations (and so checkpoints, when better) this often during a retraining, besides each epoch's end. */
const CHECKPOINT_EVERY_BATCHES = 200;

/**
 * One `/retrain`: the channel's stored messages -> fine-tuned from the base model -> published as a
 * new version of the channel's model only when its perplexity on the held-out newest messages beats
 * the base model's. The published model is only touched by the final atomic switch.
 */
export async function retrainChannel(o: RetrainChannelOptions): Promise<TrainingSummary> {
  const started = performance.now();
  const total = Math.min(o.messages, await o.history.count(o.channel));
  const texts: string[] = [];
  const hash = createHash('sha256');
  for await (const message of o.history.read(o.channel, o.messages)) {
    texts.push(message.text);
    hash.update(message.text).update('\n');
    if (texts.length % 1_000 === 0) o.onProgress({ stage: 'reading', done: texts.length, total });
  }
  o.onProgress({ stage: 'reading', done: texts.length, total });
  if (texts.length < 10) {
    throw new TrainingError('CORPUS_TOO_SMALL', `only ${texts.length} stored messages: at least 10 are needed`);
  }
  const messagesSha256 = hash.digest('hex');
  o.onProgress({ stage: 'loading' });
  const base = await loadModel(o.baseModelDir);
  const run = { baseCard: base.card, messagesSha256, messages: texts.length };
  const checkpoint = o.checkpoint;
  const resumed = checkpoint
    ? await checkpoint.store.load({ ...run, requestId: checkpoint.requestId, baseVocabulary: base.vocab })
    : undefined;
  if (resumed && 'ignored' in resumed && resumed.ignored) checkpoint!.onIgnored(resumed.ignored);
  const start = resumed && 'start' in resumed ? resumed : undefined;
  if (start) o.onProgress({ stage: 'resumed', epochs: start.state.epochs, tokensSeen: start.state.tokensSeen });
  try {
    const result = await fineTune(base, texts, {
      seqLength: base.card.training.seqLength,
      validateEveryBatches: CHECKPOINT_EVERY_BATCHES,
      ...o.fineTune,
      // The budget is the run's: reading the history and loading the base model count against it.
      timeBudgetMs:
        o.fineTune.timeBudgetMs === undefined ? undefined : o.fineTune.timeBudgetMs - (performance.now() - started),
      start: start?.start,
      onBest: checkpoint && ((best) => checkpoint.store.save(best, { ...run, requestId: checkpoint.requestId })),
      signal: o.signal,
      onEvent: (event) => {
        if (event.type !== 'batch') return;
        const { epoch, epochs, batch, batches, loss, etaMs } = event;
        o.onProgress({ stage: 'training', epoch, epochs, batch, batches, loss, etaMs });
      },
    });
    try {
      const summary: TrainingSummary = {
        published: false,
        messagesUsed: texts.length,
        heldOutMessages: result.heldOutMessages,
        wordsAdded: result.wordsAdded.length,
        sampleWords: result.wordsAdded.slice(0, 5),
        perplexityBase: result.perplexityBase,
        perplexityFineTuned: result.perplexityFineTuned,
        seconds: 0,
      };
      if (start) summary.resumedFrom = { epochs: start.state.epochs, tokensSeen: start.state.tokensSeen };
      // A cancel (or /forget channel) that came during the evaluation still stops the publication.
      if (o.signal?.aborted) throw new TrainingError('TRAINING_ABORTED', 'training was cancelled');
      if (result.perplexityFineTuned < result.perplexityBase) {
        o.onProgress({ stage: 'publishing' });
        const versions = new ChannelModelVersions(o.modelsDir, o.channel, o.keepVersions);
        const version = ChannelModelVersions.newId();
        const card: Omit<ModelCard, 'weights'> = {
          ...base.card,
          id: version,
          createdAt: new Date().toISOString(),
          config: result.params.config,
          corpus: {
            name: `channel ${channelKey(o.channel)}`,
            sha256: messagesSha256,
            format: 'jsonl',
            messages: result.trainMessages,
            tokens: result.tokensSeen,
            unknownRate: 0,
          },
          training: {
            ...base.card.training,
            seqLength: result.settings.seqLength,
            batchSize: result.settings.batchSize,
            learningRate: result.settings.learningRate,
            carryState: true,
            epochs: result.epochs,
            schedule: {
              warmupFraction: result.settings.warmupFraction,
              decay: result.settings.decay,
              finalLearningRateFactor: result.settings.finalLearningRateFactor,
            },
            dropout: result.settings.dropout,
            tokensSeen: result.tokensSeen,
            trainingSeconds: result.trainingMs / 1000,
            stoppedBy: result.stoppedBy,
            backend: tfLoad.backend,
          },
          validation: { loss: Math.log(result.perplexityFineTuned), perplexity: result.perplexityFineTuned, tokens: 0 },
          command: `retrain from ${base.card.id}`,
        };
        await versions.publish(version, { params: result.params, vocab: result.vocab, card });
        await o.onPublished(version);
        summary.published = true;
        summary.version = version;
      }
      if (!o.keepRawHistory) await o.history.clear(o.channel);
      summary.seconds = (performance.now() - started) / 1000;
      return summary;
    } finally {
      disposeParams(result.params);
    }
  } finally {
    disposeParams(base.params);
    if (start) disposeParams(start.start.params);
  }
}

import { createHash } from 'node:crypto';
import type { ChannelRef } from '../commands/channel-ref.js';
import type { RedisHistoryStore } from '../history/redis-history-store.js';
import type { StoredMessage } from '../history/stored-message.js';
import { ChannelAuthors } from '../model/channel-authors.js';
import { fineTune, fineTuneDefaults, type FineTuneOptions } from '../model/fine-tune.js';
import { loadModel } from '../model/load-model.js';
import { disposeParams } from '../model/lstm-params.js';
import { TrainingError } from '../model/training-error.js';
import { ChannelModelVersions } from './channel-model-versions.js';
import { fineTunedCard } from './fine-tuned-card.js';
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
  const stored: StoredMessage[] = [];
  const hash = createHash('sha256');
  for await (const message of o.history.read(o.channel, o.messages)) {
    stored.push(message);
    hash.update(message.text).update('\n');
    if (stored.length % 1_000 === 0) o.onProgress({ stage: 'reading', done: stored.length, total });
  }
  // Authors' names are not words: addressing becomes the user placeholder, names stay out of the vocabulary.
  const authors = new ChannelAuthors(stored.map((message) => message.author));
  const texts = stored.map((message) => authors.rewrite(message.text));
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
  const tuning = {
    ...fineTuneDefaults,
    batchSize: Math.min(32, base.card.training.batchSize),
    seqLength: base.card.training.seqLength,
    validateEveryBatches: CHECKPOINT_EVERY_BATCHES,
    excludedWords: authors.words,
    ...o.fineTune,
  };
  try {
    const result = await fineTune(base, texts, {
      ...tuning,
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
        const card = fineTunedCard({ base: base.card, version, channel: o.channel, messagesSha256, tuning, result });
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

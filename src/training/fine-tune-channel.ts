import { MIN_RETRAIN_MESSAGES } from '../commands/command-policy.js';
import { createHash } from 'node:crypto';
import type { ChannelRef } from '../commands/channel-ref.js';
import type { RedisHistoryStore } from '../history/redis-history-store.js';
import type { StoredMessage } from '../history/stored-message.js';
import { ChannelAuthors } from '../model/text/channel-authors.js';
import { samplesWithCache } from '../model/evaluation/fit-mixture-weights.js';
import { fineTune, fineTuneDefaults, type FineTuneOptions, type FineTuneResult } from '../model/training/fine-tune.js';
import { loadModel } from '../model/store/load-model.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import type { ModelCard } from '../model/store/model-card.js';
import type { Vocabulary } from '../model/text/vocabulary.js';
import { ChannelModelVersions } from '../model/store/channel-model-versions.js';
import { fineTunedCard } from './fine-tuned-card.js';
import type { LoadedCheckpoint, TrainingCheckpoint } from './training-checkpoint.js';
import { ngramMixtureFiles } from './ngram-mixture-files.js';
import { copyGuardFiles } from '../model/store/copy-guard-file.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';
import { CodedError } from '../errors/coded-error.js';

export interface FineTuneChannelOptions {
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
 * Time kept free within the budget for what follows `fineTune`: writing the model and its n-gram file,
 * the announcement and the history's deletion (and `fineTune`'s own steps after its last evaluation:
 * the mixture's weight, the trigram's probabilities). Measured for 10,000 messages on a machine with a
 * load average of 13: 0.6 s in all; for 600 messages (the tests' tiny model) up to 1.4 s once at a load
 * average of 15. This is 2 s plus 0.1 ms a message (3 s for 10,000).
 */
export function publishReserveMs(messages: number): number {
  return 2_000 + 0.1 * messages;
}

/** The channel's messages as training texts, with what names them. */
interface ChannelCorpus {
  texts: string[];
  /** The channel's authors: their names are rewritten to the user placeholder and kept out of the vocabulary. */
  authors: ChannelAuthors;
  /** sha256 of the stored messages read: a checkpoint of other messages is not resumed. */
  messagesSha256: string;
}

/**
 * One `/retrain`: the channel's stored messages -> fine-tuned from the base model -> published as a
 * new version of the channel's model only when its perplexity on the held-out newest messages beats
 * the base model's. The published model is only touched by the final atomic switch.
 */
export async function fineTuneChannel(options: FineTuneChannelOptions): Promise<TrainingSummary> {
  const started = performance.now();
  const corpus = await readChannelCorpus(options);
  options.onProgress({ stage: 'loading' });
  const base = await loadModel(options.baseModelDir);
  const run: CheckpointRun = {
    baseCard: base.card,
    messagesSha256: corpus.messagesSha256,
    messages: corpus.texts.length,
  };
  const start = await resumableCheckpoint(options, run, base.vocab);
  try {
    const result = await fineTune(base, corpus.texts, tuningOptions(options, run, corpus, start, started));
    try {
      // A cancel (or /forget channel) that came during the evaluation still stops the publication.
      if (options.signal?.aborted) throw new CodedError('TRAINING_ABORTED', 'training was cancelled');
      const version =
        result.perplexityFineTuned < result.perplexityBase
          ? await publish(options, base.card, corpus, result)
          : undefined;
      if (!options.keepRawHistory) await options.history.clear(options.channel);
      return summarize(result, corpus.texts.length, start, version, started);
    } finally {
      disposeParams(result.params);
    }
  } finally {
    disposeParams(base.params);
    if (start) disposeParams(start.start.params);
  }
}

/** Reads the newest `o.messages` stored messages (reporting every 1,000); refuses fewer than 10. */
async function readChannelCorpus(options: FineTuneChannelOptions): Promise<ChannelCorpus> {
  const total = Math.min(options.messages, await options.history.count(options.channel));
  const stored: StoredMessage[] = [];
  const hash = createHash('sha256');
  for await (const message of options.history.read(options.channel, options.messages)) {
    stored.push(message);
    hash.update(message.text).update('\n');
    if (stored.length % 1_000 === 0) options.onProgress({ stage: 'reading', done: stored.length, total });
  }
  // Authors' names are not words: addressing becomes the user placeholder, names stay out of the vocabulary.
  const authors = new ChannelAuthors(stored.map((message) => message.author));
  const texts = stored.map((message) => authors.rewrite(message.text));
  options.onProgress({ stage: 'reading', done: texts.length, total });
  if (texts.length < MIN_RETRAIN_MESSAGES) {
    const message = `only ${texts.length} stored messages: at least ${MIN_RETRAIN_MESSAGES} are needed`;
    throw new CodedError('CORPUS_TOO_SMALL', message, { details: { min: MIN_RETRAIN_MESSAGES } });
  }
  return { texts, authors, messagesSha256: hash.digest('hex') };
}

/** What names the run a checkpoint belongs to. */
interface CheckpointRun {
  baseCard: ModelCard;
  messagesSha256: string;
  messages: number;
}

/** The checkpoint an earlier attempt of this request left, when it can be resumed (the caller disposes it). */
async function resumableCheckpoint(
  options: FineTuneChannelOptions,
  run: CheckpointRun,
  baseVocabulary: Vocabulary,
): Promise<LoadedCheckpoint | undefined> {
  const checkpoint = options.checkpoint;
  if (!checkpoint) return undefined;
  const loaded = await checkpoint.store.load({ ...run, requestId: checkpoint.requestId, baseVocabulary });
  if ('ignored' in loaded) {
    if (loaded.ignored) checkpoint.onIgnored(loaded.ignored);
    return undefined;
  }
  options.onProgress({ stage: 'resumed', epochs: loaded.state.epochs, tokensSeen: loaded.state.tokensSeen });
  return loaded;
}

/** `fineTune`'s options for this run: the defaults, the base model's sequence length, then the caller's. */
function tuningOptions(
  options: FineTuneChannelOptions,
  run: CheckpointRun,
  corpus: ChannelCorpus,
  start: LoadedCheckpoint | undefined,
  started: number,
): Partial<FineTuneOptions> {
  const checkpoint = options.checkpoint;
  return {
    ...fineTuneDefaults,
    seqLength: run.baseCard.training.seqLength,
    validateEveryBatches: CHECKPOINT_EVERY_BATCHES,
    excludedWords: corpus.authors.words,
    ...options.fineTune,
    // The budget is the run's: reading the history and loading the base model count against it, and
    // the publication after the training gets its reserve.
    timeBudgetMs:
      options.fineTune.timeBudgetMs === undefined
        ? undefined
        : options.fineTune.timeBudgetMs - (performance.now() - started) - publishReserveMs(corpus.texts.length),
    start: start?.start,
    onBest: checkpoint && ((best) => checkpoint.store.save(best, { ...run, requestId: checkpoint.requestId })),
    signal: options.signal,
    onEvent: (event) => {
      if (event.type !== 'batch') return;
      const { epoch, epochs, batch, batches, loss, etaMs } = event;
      options.onProgress({ stage: 'training', epoch, epochs, batch, batches, loss, etaMs });
    },
  };
}

/** Publishes the fine-tuned model as a new version of the channel's and announces it; returns the version. */
async function publish(
  options: FineTuneChannelOptions,
  baseCard: ModelCard,
  corpus: ChannelCorpus,
  result: FineTuneResult,
): Promise<string> {
  options.onProgress({ stage: 'publishing' });
  const versions = new ChannelModelVersions(options.modelsDir, options.channel, options.keepVersions);
  const version = ChannelModelVersions.newId();
  const { messagesSha256 } = corpus;
  const card = fineTunedCard({ base: baseCard, version, channel: options.channel, messagesSha256, result });
  const ngram = ngramMixtureFiles(result.ngram);
  // Every message read (held-out ones too): replies never repeat 6 tokens of any of them verbatim.
  const copyGuard = copyGuardFiles(corpus.texts, result.vocab);
  await versions.publish(version, {
    params: result.params,
    vocab: result.vocab,
    files: { ...ngram.files, ...copyGuard.files },
    card: { ...card, ...ngram.card, ...copyGuard.card },
  });
  await options.onPublished(version);
  return version;
}

/** The held-out perplexity of the mixture the model samples from: with its cache when the cache's weight is above 0. */
function sampledPerplexity(ngram: FineTuneResult['ngram']): number {
  return samplesWithCache(ngram.cache) ? ngram.cache.heldOutPerplexity : ngram.heldOutPerplexity;
}

function summarize(
  result: FineTuneResult,
  messagesUsed: number,
  start: LoadedCheckpoint | undefined,
  version: string | undefined,
  started: number,
): TrainingSummary {
  return {
    published: version !== undefined,
    messagesUsed,
    heldOutMessages: result.heldOutMessages,
    wordsAdded: result.wordsAdded.length,
    sampleWords: result.wordsAdded.slice(0, 5),
    perplexityBase: result.perplexityBase,
    perplexityFineTuned: result.perplexityFineTuned,
    perplexityMixture: sampledPerplexity(result.ngram),
    seconds: (performance.now() - started) / 1000,
    ...(start && { resumedFrom: { epochs: start.state.epochs, tokensSeen: start.state.tokensSeen } }),
    ...(version !== undefined && { version }),
  };
}

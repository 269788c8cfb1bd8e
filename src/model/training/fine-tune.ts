/**
 * Fine-tunes a base model on one channel's messages: the channel's frequent words the base vocabulary
 * lacks are added (`growVocabulary`), the newest messages are held out, and the base and the
 * fine-tuned model are both measured on them, so the caller can publish only an improvement.
 */
import { channelWords } from '../text/channel-words.js';
import { cloneParams } from '../lstm/clone-params.js';
import { countTokens } from '../corpus/count-tokens.js';
import type { DropoutRates } from '../lstm/dropout-masks.js';
import { encodeCorpus } from '../corpus/encode-corpus.js';
import type { Evaluation } from '../evaluation/evaluate-model.js';
import { evaluateOnVocabulary } from '../evaluation/evaluate-on-vocabulary.js';
import {
  channelNgramMixture,
  channelTrigrams,
  FINE_TUNE_VALIDATION_FRACTION,
  type ChannelNgramMixture,
} from '../evaluation/fit-ngram-mixture.js';
import { growVocabulary } from './grow-vocabulary.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import type { OutputPrecision } from '../lstm/output-precision.js';
import type { TrainEvent } from './train-events.js';
import { trainModel, type BestSoFar, type TrainOptions } from './train-model.js';
import { unknownRate } from '../evaluation/unknown-rate.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

export interface FineTuneOptions {
  /** Share of the messages, the newest, held out to measure base and fine-tuned perplexity. */
  holdoutFraction: number;
  /** A channel word joins the vocabulary when seen this often in the training messages ... */
  minWordCount: number;
  /** ... up to this many words. */
  maxNewWords: number;
  /** Words never added to the vocabulary: the channel's authors' names (`ChannelAuthors.words`). */
  excludedWords?: ReadonlySet<string>;
  epochs: number;
  batchSize: number;
  seqLength: number;
  learningRate: number;
  /** Learning-rate schedule and dropout of the training (see `TrainOptions`). */
  warmupFraction: number;
  decay: TrainOptions['decay'];
  finalLearningRateFactor: number;
  dropout: DropoutRates;
  /** Average the weights from this share of the training on (undefined: none; see `TrainOptions.averageFrom`). */
  averageFrom?: number;
  /**
   * Wall-clock limit of the whole fine-tuning, both evaluations included: training stops early enough
   * for its final validation and the evaluation of the held-out messages to end within it.
   */
  timeBudgetMs?: number;
  /** Also validate (and so offer a checkpoint to `onBest`) every this many batches (0: after each epoch). */
  validateEveryBatches?: number;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  /** Called (and awaited) with the best weights so far and all a `start` needs to resume from them. */
  onBest?: (checkpoint: FineTuneCheckpoint) => Promise<void>;
  /**
   * Resume from a checkpoint (`onBest`) of a run on the same messages: its vocabulary and weights, its
   * held-out split and base perplexity, and what is left of its epochs and time budget.
   */
  start?: FineTuneStart;
}

/** What a fine-tuning needs to resume; `params` and `vocab` are the caller's (not disposed). */
export interface FineTuneStart {
  params: LstmParams;
  vocab: Vocabulary;
  wordsAdded: string[];
  heldOutMessages: number;
  perplexityBase: number;
  /** Epochs done (fractional) and training time used when the checkpoint was taken. */
  epochs: number;
  trainingMs: number;
}

/** A checkpoint offered to `onBest`: `params` are only valid during the call. */
export type FineTuneCheckpoint = Omit<FineTuneStart, 'params'> &
  Pick<BestSoFar, 'params' | 'tokensSeen' | 'validation'>;

export const fineTuneDefaults = {
  holdoutFraction: 0.1,
  minWordCount: 3,
  maxNewWords: 2_000,
  // Two epochs at a constant 0.003, and the mean of the weights after each step of the second epoch
  // kept when it validates better than the last weights (it did in every room measured): from
  // models/base (base5), HelpBasejumps' held-out messages scored 67.5 with the LSTM alone and 54.3 as
  // sampled, where the previous default (cosine decay from 0.004 to 0.1x, no averaging) scored 68.7 and
  // 54.8; a constant 0.004 67.1 and 54.5, 0.006 67.8 and 55.6. See docs/performance.md, Fine-tuning.
  epochs: 2,
  batchSize: 64,
  seqLength: 32,
  learningRate: 0.003,
  warmupFraction: 0,
  decay: 'cosine',
  finalLearningRateFactor: 1,
  dropout: { input: 0, output: 0 },
  averageFrom: 0.5,
} as const satisfies Partial<FineTuneOptions>;

export interface FineTuneResult {
  /** The fine-tuned weights (the caller owns them). */
  params: LstmParams;
  vocab: Vocabulary;
  wordsAdded: string[];
  trainMessages: number;
  heldOutMessages: number;
  /** Perplexity on the held-out newest messages. */
  perplexityBase: number;
  perplexityFineTuned: number;
  tokensSeen: number;
  trainingMs: number;
  stoppedBy: string;
  /** The output layer's precision in training (see `TrainOptions.precision`). */
  precision: OutputPrecision;
  /** Passes over the training messages (resumed runs included), fractional when stopped early. */
  epochs: number;
  /** Tokens of the training messages in the grown vocabulary, and the share of them that is `<unk>`. */
  trainTokens: number;
  unknownRate: number;
  /** The fine-tuned model on the held-out messages (`perplexity` is `perplexityFineTuned`). */
  validation: Evaluation;
  /** The channel's Kneser-Ney trigram and the LSTM's weight in their mixture (stored with the model). */
  ngram: ChannelNgramMixture;
  /** The settings the weights were trained with (for the model card). */
  settings: FineTuneSettings;
  /** When the weights are the mean of the last steps' weights (`averageFrom`): of how many. */
  averagedSteps?: number;
}

/** What a model card records of a fine-tuning. */
export type FineTuneSettings = Pick<
  FineTuneOptions,
  | 'batchSize'
  | 'seqLength'
  | 'learningRate'
  | 'warmupFraction'
  | 'decay'
  | 'finalLearningRateFactor'
  | 'dropout'
  | 'averageFrom'
  | 'epochs'
>;

/** `base` stays the caller's (not disposed). `messages` are the channel's texts, oldest first. */
export async function fineTune(
  base: { params: LstmParams; vocab: Vocabulary },
  messages: readonly string[],
  options: Partial<FineTuneOptions> = {},
): Promise<FineTuneResult> {
  const started = performance.now();
  const resolvedOptions: FineTuneOptions = { ...fineTuneDefaults, ...options };
  const start = resolvedOptions.start;
  const heldOut = start?.heldOutMessages ?? Math.max(1, Math.round(messages.length * resolvedOptions.holdoutFraction));
  if (messages.length - heldOut < 2) {
    throw new CodedError('CORPUS_TOO_SMALL', `too few messages to fine-tune on (${messages.length})`);
  }
  const train = messages.slice(0, messages.length - heldOut);
  const holdout = messages.slice(messages.length - heldOut);

  const wordsAdded = start?.wordsAdded ?? (await newChannelWords(train, base.vocab, resolvedOptions));
  const vocab = start?.vocab ?? base.vocab.withAddedTokens(wordsAdded);
  const holdoutNew = await encodeCorpus(holdout, vocab);
  if (holdoutNew.length < 2) throw new CodedError('CORPUS_TOO_SMALL', 'the held-out messages are empty');
  const evalOptions = { batchSize: resolvedOptions.batchSize, seqLength: resolvedOptions.seqLength };
  // Like for like: the base scored on the channel's vocabulary (see evaluateOnVocabulary).
  const evaluationStarted = performance.now();
  const baseEvaluation = start ? undefined : evaluateOnVocabulary(base, holdoutNew, vocab, evalOptions);
  const perplexityBase = start?.perplexityBase ?? baseEvaluation!.perplexity;
  const evaluationMsPerToken = baseEvaluation && (performance.now() - evaluationStarted) / baseEvaluation.tokens;

  const initial = start ? cloneParams(start.params) : growVocabulary(base.params, wordsAdded.length);
  const trainIds = await encodeCorpus(train, vocab);
  // The trigrams need no LSTM: counted now, their time is spent before the budget plans the training.
  const trigrams = channelTrigrams(trainIds, vocab.size);
  const checkpointOf = { vocab, wordsAdded, heldOutMessages: holdout.length, perplexityBase };
  const result = await trainModel(
    initial,
    trainIds,
    trainOptions(resolvedOptions, { started, holdoutTokens: holdoutNew.length, evaluationMsPerToken, checkpointOf }),
  );
  // The LSTM on the held-out messages, and its mixture with the channel's trigram: λ fitted on the
  // validation split, on the probabilities the validation that chose the weights measured.
  const ngram = channelNgramMixture(result.params, trainIds, holdoutNew, evalOptions, {
    trigrams,
    validation: result.validationTargets,
  });
  const validation = ngram.lstm;
  return {
    params: result.params,
    vocab,
    wordsAdded,
    trainMessages: train.length,
    heldOutMessages: holdout.length,
    perplexityBase,
    perplexityFineTuned: validation.perplexity,
    tokensSeen: result.tokensSeen,
    trainingMs: result.trainingMs,
    stoppedBy: result.stoppedBy,
    precision: result.precision,
    epochs: result.epochs,
    trainTokens: trainIds.length,
    unknownRate: unknownRate(trainIds),
    validation,
    ngram,
    settings: settingsOf(resolvedOptions),
    ...(result.averagedSteps && { averagedSteps: result.averagedSteps }),
  };
}

/** The channel's words the base vocabulary lacks, by the options' thresholds. */
async function newChannelWords(train: readonly string[], baseVocab: Vocabulary, options: FineTuneOptions) {
  return channelWords(await countTokens(train), baseVocab, {
    minCount: options.minWordCount,
    maxWords: options.maxNewWords,
    excluded: options.excludedWords,
  });
}

/** The settings a fine-tuning trained with, for its model card. */
function settingsOf(options: FineTuneOptions): FineTuneResult['settings'] {
  const { batchSize, seqLength, learningRate, warmupFraction, decay, finalLearningRateFactor, dropout, epochs } =
    options;
  const settings = {
    batchSize,
    seqLength,
    learningRate,
    warmupFraction,
    decay,
    finalLearningRateFactor,
    dropout,
    epochs,
  };
  return options.averageFrom === undefined ? settings : { ...settings, averageFrom: options.averageFrom };
}

/** `trainModel`'s options for a fine-tuning: the run's settings, its budget so far, and its checkpoints. */
function trainOptions(
  options: FineTuneOptions,
  run: {
    started: number;
    holdoutTokens: number;
    evaluationMsPerToken: number | undefined;
    /** What a checkpoint records besides the weights. */
    checkpointOf: Omit<FineTuneCheckpoint, keyof BestSoFar>;
  },
): Partial<TrainOptions> {
  const { start, onBest } = options;
  return {
    batchSize: options.batchSize,
    seqLength: options.seqLength,
    epochs: options.epochs,
    // The time used so far counts against the budget (`trainModel` adds that of a resumed run).
    timeBudgetMs:
      options.timeBudgetMs === undefined ? undefined : options.timeBudgetMs - (performance.now() - run.started),
    // The held-out messages (the mixture's weight is fitted on the final validation's own probabilities).
    reserveEvaluationTokens: run.holdoutTokens,
    evaluationMsPerToken: run.evaluationMsPerToken,
    learningRate: options.learningRate,
    warmupFraction: options.warmupFraction,
    decay: options.decay,
    finalLearningRateFactor: options.finalLearningRateFactor,
    dropout: options.dropout,
    averageFrom: options.averageFrom,
    validationFraction: FINE_TUNE_VALIDATION_FRACTION,
    // The continuous cache's θ is fitted on the states of the validation that chose the weights.
    validationHidden: true,
    validateEveryBatches: options.validateEveryBatches ?? 0,
    progressEveryBatches: 5,
    signal: options.signal,
    onEvent: options.onEvent,
    startAt: start && { epochs: start.epochs, trainingMs: start.trainingMs },
    onBest: onBest && ((best) => onBest({ ...best, ...run.checkpointOf })),
  };
}

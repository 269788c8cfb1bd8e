/**
 * Fine-tunes a base model on one channel's messages: the channel's frequent words the base vocabulary
 * lacks are added (`growVocabulary`), the newest messages are held out, and the base and the
 * fine-tuned model are both measured on them, so the caller can publish only an improvement.
 */
import { channelWords } from './channel-words.js';
import { countTokens } from './count-tokens.js';
import { encodeCorpus } from './encode-corpus.js';
import { evaluateModel } from './evaluate-model.js';
import { growVocabulary } from './grow-vocabulary.js';
import type { LstmParams } from './lstm-params.js';
import type { TrainEvent } from './train-events.js';
import { trainModel } from './train-model.js';
import { TrainingError } from './training-error.js';
import type { Vocabulary } from './vocabulary.js';

export interface FineTuneOptions {
  /** Share of the messages, the newest, held out to measure base and fine-tuned perplexity. */
  holdoutFraction: number;
  /** A channel word joins the vocabulary when seen this often in the training messages ... */
  minWordCount: number;
  /** ... up to this many words. */
  maxNewWords: number;
  epochs: number;
  batchSize: number;
  seqLength: number;
  learningRate: number;
  timeBudgetMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
}

export const fineTuneDefaults = {
  holdoutFraction: 0.1,
  minWordCount: 3,
  maxNewWords: 2_000,
  epochs: 4,
  batchSize: 32,
  seqLength: 32,
  learningRate: 0.002,
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
}

/** `base` stays the caller's (not disposed). `messages` are the channel's texts, oldest first. */
export async function fineTune(
  base: { params: LstmParams; vocab: Vocabulary },
  messages: readonly string[],
  options: Partial<FineTuneOptions> = {},
): Promise<FineTuneResult> {
  const o: FineTuneOptions = { ...fineTuneDefaults, ...options };
  const heldOut = Math.max(1, Math.round(messages.length * o.holdoutFraction));
  if (messages.length - heldOut < 2) {
    throw new TrainingError('CORPUS_TOO_SMALL', `too few messages to fine-tune on (${messages.length})`);
  }
  const train = messages.slice(0, messages.length - heldOut);
  const holdout = messages.slice(messages.length - heldOut);

  const counts = await countTokens(train);
  const wordsAdded = channelWords(counts, base.vocab, { minCount: o.minWordCount, maxWords: o.maxNewWords });
  const vocab = base.vocab.withAddedTokens(wordsAdded);
  const holdoutBase = await encodeCorpus(holdout, base.vocab);
  const holdoutNew = await encodeCorpus(holdout, vocab);
  if (holdoutNew.length < 2) throw new TrainingError('CORPUS_TOO_SMALL', 'the held-out messages are empty');
  const evalOptions = { batchSize: o.batchSize, seqLength: o.seqLength };
  const perplexityBase = evaluateModel(base.params, holdoutBase, evalOptions).perplexity;

  const result = await trainModel(growVocabulary(base.params, wordsAdded.length), await encodeCorpus(train, vocab), {
    batchSize: o.batchSize,
    seqLength: o.seqLength,
    epochs: o.epochs,
    timeBudgetMs: o.timeBudgetMs,
    learningRate: o.learningRate,
    validationFraction: 0.1,
    progressEveryBatches: 5,
    signal: o.signal,
    onEvent: o.onEvent,
  });
  const perplexityFineTuned = evaluateModel(result.params, holdoutNew, evalOptions).perplexity;
  return {
    params: result.params,
    vocab,
    wordsAdded,
    trainMessages: train.length,
    heldOutMessages: holdout.length,
    perplexityBase,
    perplexityFineTuned,
    tokensSeen: result.tokensSeen,
    trainingMs: result.trainingMs,
    stoppedBy: result.stoppedBy,
  };
}

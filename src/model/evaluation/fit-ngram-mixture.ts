/**
 * The weights of a fine-tuned LSTM in its mixture with the channel's Kneser-Ney trigram,
 * λ P_lstm + (1 - λ) P_kn, and in that mixture plus a unigram cache (`fitMixtureWeights`), chosen
 * without the held-out messages: on the fine-tune's own validation split (the tail of the training
 * stream `trainModel` held out from training), with a trigram built on the rest of the training
 * stream, so that neither model has seen the tokens the weights are fitted on.
 */
import type { Evaluation } from './evaluate-model.js';
import { KneserNey } from './kneser-ney.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import {
  fitMixtureWeights,
  type CacheMixtureWeights,
  type MixtureFit,
  type ValidationTargets,
} from './fit-mixture-weights.js';
import { mixtureCrossEntropy } from './mixture-weights.js';
import { cacheProbabilities } from './continuous-cache.js';
import { evaluateTargets, type HiddenStates, type TargetProbabilityOptions } from './target-probabilities.js';

/** The share of the training stream, at its end, that `fineTune` has `trainModel` hold out for validation. */
export const FINE_TUNE_VALIDATION_FRACTION = 0.1;

/** Where the validation split of a training stream starts (as `trainModel` splits it). */
function validationStart(trainIds: Int32Array): number {
  return Math.floor(trainIds.length * (1 - FINE_TUNE_VALIDATION_FRACTION));
}

/** The channel's trigrams: on the training stream but its validation split (to fit λ on), and on all of it (stored). */
export interface ChannelTrigrams {
  beforeValidation: KneserNey;
  all: KneserNey;
}

/** Counts both trigrams; they need no LSTM, so `fineTune` counts them before training, inside its budget. */
export function channelTrigrams(trainIds: Int32Array, vocabSize: number): ChannelTrigrams {
  return {
    beforeValidation: new KneserNey(trainIds.subarray(0, validationStart(trainIds)), vocabSize, 3),
    all: new KneserNey(trainIds, vocabSize, 3),
  };
}

/** The LSTM's probabilities of validation-split targets (`evaluateTargets`: positions within the split). */
export interface LstmTargets {
  probabilities: Float64Array;
  positions: Int32Array;
  /** The hidden states that predicted them (a continuous cache's keys); absent: the caches fitted are unigram ones. */
  hidden?: HiddenStates;
}

/**
 * Both models' probabilities of the validation split's targets (the trigram trained on the rest). Given
 * `lstm` (what the validation that chose the weights measured), the LSTM does not read the split again.
 */
export function validationTargets(
  params: LstmParams,
  trainIds: Int32Array,
  options: Required<TargetProbabilityOptions>,
  known: { trigram?: KneserNey; lstm?: LstmTargets } = {},
): ValidationTargets {
  const splitAt = validationStart(trainIds);
  const stream = trainIds.subarray(splitAt);
  const kneserNey = known.trigram ?? new KneserNey(trainIds.subarray(0, splitAt), params.config.vocabSize, 3);
  const lstm = known.lstm ?? evaluateTargets(params, stream, { ...options, hidden: true });
  const kn = Float64Array.from(lstm.positions, (i) => kneserNey.probabilityAt(trainIds, splitAt + i));
  return {
    lstm: lstm.probabilities,
    kn,
    stream,
    positions: lstm.positions,
    ...(lstm.hidden && { hidden: lstm.hidden }),
  };
}

/** The mixture's weights (`fitMixtureWeights`), fitted on the validation split. */
export function fitNgramMixture(
  params: LstmParams,
  trainIds: Int32Array,
  options: Required<TargetProbabilityOptions>,
  known: { trigram?: KneserNey; lstm?: LstmTargets } = {},
): MixtureFit {
  return fitMixtureWeights(validationTargets(params, trainIds, options, known));
}

export interface ChannelNgramMixture {
  /** The channel's trigram on the whole training stream (what is stored with the model). */
  kneserNey: KneserNey;
  /** λ fitted on the validation split, and the mixture's perplexity there and on the held-out stream. */
  lstmWeight: number;
  validationPerplexity: number;
  heldOutPerplexity: number;
  /**
   * The mixture with a unigram cache of the preceding tokens: its weights and window fitted on the
   * validation split, its perplexity there and on the held-out stream (the cache's weight 0: the same
   * as without). The model samples with it when the cache's weight is above 0.
   */
  cache: CacheMixtureWeights & { validationPerplexity: number; heldOutPerplexity: number };
  /** The LSTM alone on the held-out stream (the same positions `evaluateModel` scores). */
  lstm: Evaluation;
}

/**
 * The fine-tuned LSTM's mixture with the channel's trigram and cache: the weights fitted on the
 * fine-tune's validation split, then the LSTM and the mixtures scored on the held-out stream (one pass
 * of the LSTM over it). `known` saves work done already: the trigrams, and the LSTM's validation
 * targets (`TrainResult`).
 */
export function channelNgramMixture(
  params: LstmParams,
  trainIds: Int32Array,
  holdoutIds: Int32Array,
  options: Required<TargetProbabilityOptions>,
  known: { trigrams?: ChannelTrigrams; validation?: LstmTargets } = {},
): ChannelNgramMixture {
  const fit = fitNgramMixture(params, trainIds, options, {
    trigram: known.trigrams?.beforeValidation,
    lstm: known.validation,
  });
  const kneserNey = known.trigrams?.all ?? new KneserNey(trainIds, params.config.vocabSize, 3);
  const continuous = (fit.cache.theta ?? 0) > 0;
  const {
    probabilities: lstm,
    positions,
    hidden,
  } = evaluateTargets(params, holdoutIds, { ...options, hidden: continuous });
  const kn = Float64Array.from(positions, (i) => kneserNey.probabilityAt(holdoutIds, i));
  const heldOut = mixturePerplexities(holdoutIds, positions, { lstm, kn, hidden }, fit);
  const lstmLoss = mixtureCrossEntropy([lstm], [1]);
  return {
    kneserNey,
    lstmWeight: fit.lstmWeight,
    validationPerplexity: fit.validationPerplexity,
    heldOutPerplexity: heldOut.withoutCache,
    cache: { ...fit.cache, heldOutPerplexity: heldOut.withCache },
    lstm: { loss: lstmLoss, perplexity: Math.exp(lstmLoss), tokens: lstm.length },
  };
}

/**
 * The perplexity of the mixture on a stream's scored `positions`, without its cache (λ) and with it,
 * given the LSTM's and the trigram's probabilities of those targets (`kn`): the cache (the stream's
 * `window` ids before each position, weighed by the LSTM's `hidden` states for a continuous cache) is
 * scored on the same positions.
 */
export function mixturePerplexities(
  stream: Int32Array,
  positions: Int32Array,
  models: { lstm: Float64Array; kn: Float64Array; hidden?: HiddenStates },
  weights: { lstmWeight: number; cache: CacheMixtureWeights },
): { withoutCache: number; withCache: number } {
  const { lstm, kn } = models;
  const cached = cacheProbabilities(stream, positions, weights.cache, models.hidden);
  const perplexity = (parts: Float64Array[], w: number[]) => Math.exp(mixtureCrossEntropy(parts, w));
  return {
    withoutCache: perplexity([lstm, kn], [weights.lstmWeight, 1 - weights.lstmWeight]),
    withCache: perplexity([lstm, kn, cached], weights.cache.weights),
  };
}

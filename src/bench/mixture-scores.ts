/**
 * The quality bench's mixture columns: the channel's LSTM interpolated with the channel's Kneser-Ney
 * trigram, λ P_lstm + (1 - λ) P_kn, and that plus a unigram cache of the held-out stream's preceding
 * tokens. Every weight is fitted on the fine-tune's own validation split (`validationTargets`), never
 * on the held-out messages that are scored; the scored positions are those of every other column.
 */
import { validationTargets } from '../model/evaluation/fit-ngram-mixture.js';
import { KneserNey } from '../model/evaluation/kneser-ney.js';
import type { LstmParams } from '../model/lstm/lstm-params.js';
import { bestThreeModelWeights, bestTwoModelWeight, mixtureCrossEntropy } from '../model/evaluation/mixture-weights.js';
import { scoredPositions } from '../model/evaluation/scored-positions.js';
import { targetProbabilitiesOnVocabulary } from '../model/evaluation/target-probabilities.js';
import { unigramCacheProbabilities } from '../model/evaluation/unigram-cache.js';
import type { Vocabulary } from '../model/text/vocabulary.js';

/** Cache sizes (tokens) and cache weights tried on the validation split. */
const CACHE_WINDOWS = [50, 100, 200, 500, 1000, 4000] as const;
const CACHE_WEIGHTS = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2];

export interface MixtureScores {
  /** λ, fitted on the validation split, and the perplexity of λ LSTM + (1 - λ) KN3 on the held-out messages. */
  lstm_weight: number;
  perplexity_mixture: number;
  /** Weights (LSTM, KN3, cache), cache size and the perplexity with the cache. */
  cache_weights: [number, number, number];
  cache_window: number;
  perplexity_mixture_cache: number;
  /** The LSTM alone from the same per-position probabilities (equals the fine-tuned column up to rounding). */
  perplexity_lstm_check: number;
  /** For reference only (never used to score): the λ the held-out messages themselves would pick. */
  lstm_weight_fitted_on_held_out: number;
}

export function mixtureScores(
  model: { params: LstmParams; vocab: Vocabulary },
  trainIds: Int32Array,
  holdoutIds: Int32Array,
  options: { batchSize: number; seqLength: number },
): MixtureScores {
  const validation = validationTargets(model.params, trainIds, options);
  const lstmWeight = bestTwoModelWeight(validation.lstm, validation.kn);
  let cache = { weights: [1, 0, 0] as [number, number, number], loss: Infinity, window: 0 };
  for (const window of CACHE_WINDOWS) {
    const cached = unigramCacheProbabilities(validation.stream, validation.positions, window);
    const fit = bestThreeModelWeights([validation.lstm, validation.kn, cached], CACHE_WEIGHTS);
    if (fit.loss < cache.loss) cache = { ...fit, window };
  }

  const positions = scoredPositions(holdoutIds, options.batchSize, options.seqLength);
  const lstm = targetProbabilitiesOnVocabulary(model, holdoutIds, model.vocab, options);
  const kneserNey = new KneserNey(trainIds, model.vocab.size, 3);
  const kn = Float64Array.from(positions, (i) => kneserNey.probabilityAt(holdoutIds, i));
  const cached = unigramCacheProbabilities(holdoutIds, positions, cache.window);
  const perplexity = (models: Float64Array[], weights: number[]) => Math.exp(mixtureCrossEntropy(models, weights));
  return {
    lstm_weight: lstmWeight,
    perplexity_mixture: perplexity([lstm, kn], [lstmWeight, 1 - lstmWeight]),
    cache_weights: cache.weights,
    cache_window: cache.window,
    perplexity_mixture_cache: perplexity([lstm, kn, cached], cache.weights),
    perplexity_lstm_check: perplexity([lstm], [1]),
    lstm_weight_fitted_on_held_out: bestTwoModelWeight(lstm, kn),
  };
}

/**
 * The quality bench's mixture columns: the channel's LSTM interpolated with the channel's Kneser-Ney
 * trigram, λ P_lstm + (1 - λ) P_kn, and that plus a cache of the held-out stream's preceding tokens
 * (continuous or unigram, `continuous-cache.ts`), w1 P_lstm + w2 P_kn + w3 P_cache, scored on the
 * positions of every other column. The weights are those the model samples with (its card's `mixture`,
 * fitted by the `/retrain` on the fine-tune's validation split); a model without them (the base model, a
 * channel model from before the cache) gets them fitted here the same way (`fitMixtureWeights` on
 * `validationTargets`), never on the held-out messages that are scored, and says so (`weights_from`).
 */
import {
  fitLstmCacheWeights,
  fitMixtureWeights,
  samplesWithCache,
  type CacheMixtureWeights,
} from '../model/evaluation/fit-mixture-weights.js';
import { mixturePerplexities, validationTargets } from '../model/evaluation/fit-ngram-mixture.js';
import { KneserNey } from '../model/evaluation/kneser-ney.js';
import type { LstmParams } from '../model/lstm/lstm-params.js';
import { bestTwoModelWeight, mixtureCrossEntropy } from '../model/evaluation/mixture-weights.js';
import type { ModelCard } from '../model/store/model-card.js';
import { scoredPositions } from '../model/evaluation/scored-positions.js';
import { targetProbabilitiesOnVocabulary } from '../model/evaluation/target-probabilities.js';
import type { Vocabulary } from '../model/text/vocabulary.js';
import { cacheProbabilities } from '../model/evaluation/continuous-cache.js';

export interface MixtureScores {
  /** λ and the perplexity of λ LSTM + (1 - λ) KN3 on the held-out messages (the mixture without a cache). */
  lstm_weight: number;
  perplexity_mixture: number;
  /** Weights (LSTM, KN3, cache), cache size and the perplexity with the cache. */
  cache_weights: [number, number, number];
  cache_window: number;
  /** θ of the cache (0: a unigram cache; above 0: a continuous cache, `continuous-cache.ts`). */
  cache_theta: number;
  perplexity_mixture_cache: number;
  /**
   * The cache's weights and window: 'model', those of the model's card, which the bot samples with
   * when the cache's weight is above 0; 'bench', fitted here on the validation split for a model that
   * has none (the bot samples it without a cache). λ is the card's whenever the model has a mixture.
   */
  weights_from: 'model' | 'bench';
  /** The perplexity of the mixture the bot samples from (`perplexity_mixture_cache` or `perplexity_mixture`). */
  perplexity_as_sampled: number | undefined;
  /**
   * The LSTM with the cache and no trigram, λ P_lstm + (1 - λ) P_cache, its λ and window fitted on the
   * validation split (`fitLstmCacheWeights`), scored on the same held-out positions.
   */
  lstm_cache: { lstm_weight: number; window: number; theta: number; perplexity: number };
  /** The LSTM alone from the same per-position probabilities (equals the fine-tuned column up to rounding). */
  perplexity_lstm_check: number;
  /** For reference only (never used to score): the λ the held-out messages themselves would pick. */
  lstm_weight_fitted_on_held_out: number;
}

export function mixtureScores(
  model: { params: LstmParams; vocab: Vocabulary; card: Pick<ModelCard, 'mixture'> },
  trainIds: Int32Array,
  holdoutIds: Int32Array,
  options: { batchSize: number; seqLength: number },
): MixtureScores {
  const stored = model.card.mixture;
  const validation = validationTargets(model.params, trainIds, options);
  const fitted = stored?.cache ? undefined : fitMixtureWeights(validation);
  const lstmCache = fitLstmCacheWeights(validation);
  const weights: { lstmWeight: number; cache: CacheMixtureWeights } = {
    lstmWeight: stored?.lstmWeight ?? fitted!.lstmWeight,
    cache: stored?.cache ?? fitted!.cache,
  };

  const positions = scoredPositions(holdoutIds, options.batchSize, options.seqLength);
  const scored = targetProbabilitiesOnVocabulary(model, holdoutIds, model.vocab, { ...options, hidden: true });
  const { probabilities: lstm, hidden } = scored;
  const kneserNey = new KneserNey(trainIds, model.vocab.size, 3);
  const kn = Float64Array.from(positions, (i) => kneserNey.probabilityAt(holdoutIds, i));
  const scores = mixturePerplexities(holdoutIds, positions, { lstm, kn, hidden }, weights);
  const sampled = stored && (samplesWithCache(stored.cache) ? scores.withCache : scores.withoutCache);
  const cached = cacheProbabilities(holdoutIds, positions, lstmCache, hidden);
  const lstmCacheLoss = mixtureCrossEntropy([lstm, cached], [lstmCache.lstmWeight, 1 - lstmCache.lstmWeight]);
  return {
    lstm_weight: weights.lstmWeight,
    perplexity_mixture: scores.withoutCache,
    cache_weights: weights.cache.weights,
    cache_window: weights.cache.window,
    cache_theta: weights.cache.theta ?? 0,
    perplexity_mixture_cache: scores.withCache,
    weights_from: stored?.cache ? 'model' : 'bench',
    perplexity_as_sampled: sampled,
    lstm_cache: {
      lstm_weight: lstmCache.lstmWeight,
      window: lstmCache.window,
      theta: lstmCache.theta,
      perplexity: Math.exp(lstmCacheLoss),
    },
    perplexity_lstm_check: Math.exp(mixtureCrossEntropy([lstm], [1])),
    lstm_weight_fitted_on_held_out: bestTwoModelWeight(lstm, kn),
  };
}

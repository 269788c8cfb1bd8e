/**
 * The weights a channel model samples with, fitted on the fine-tune's validation split
 * (`validationTargets`): λ of the LSTM in its mixture with the channel's Kneser-Ney trigram,
 * λ P_lstm + (1 - λ) P_kn, and the three weights and window of that mixture plus a unigram cache of the
 * preceding tokens (Grave et al. 2017), w1 P_lstm + w2 P_kn + w3 P_cache. The `/retrain` stores both
 * with the model; the quality bench fits a model that has none the same way.
 */
import { bestThreeModelWeights, bestTwoModelWeight, mixtureCrossEntropy } from './mixture-weights.js';
import { unigramCacheProbabilities } from './unigram-cache.js';

/**
 * Cache sizes (tokens) tried. A sample's cache holds what the generator read before its next token
 * (the channel's recent messages, at most 256 tokens of them, then the prompt and the reply so far), so
 * longer windows would be scored on a history the bot never has.
 */
export const CACHE_WINDOWS = [50, 100, 200] as const;
/** Cache weights tried (w3); w1 on a grid of 0.01 in what is left, w2 the rest. */
export const CACHE_WEIGHTS = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2] as const;

/** The weights of the LSTM, the trigram and the cache, and the cache's window. */
export interface CacheMixtureWeights {
  window: number;
  weights: [lstm: number, ngram: number, cache: number];
}

/** Whether a model samples with this cache: it has one, with a weight above 0 (else with λ alone). */
export function samplesWithCache(cache: CacheMixtureWeights | undefined): cache is CacheMixtureWeights {
  return cache !== undefined && cache.weights[2] > 0;
}

export interface ValidationTargets {
  /** The LSTM's and the trigram's probabilities of the same targets of the validation split. */
  lstm: Float64Array;
  kn: Float64Array;
  /** The validation split (a view of the training stream) and its scored positions. */
  stream: Int32Array;
  positions: Int32Array;
}

export interface MixtureFit {
  /** λ of the mixture without a cache, and that mixture's perplexity on the validation split. */
  lstmWeight: number;
  validationPerplexity: number;
  /** The mixture with the cache (its weight 0 when the cache does not help), and its perplexity there. */
  cache: CacheMixtureWeights & { validationPerplexity: number };
}

export function fitMixtureWeights(validation: ValidationTargets): MixtureFit {
  const { lstm, kn } = validation;
  const lstmWeight = bestTwoModelWeight(lstm, kn);
  const loss = mixtureCrossEntropy([lstm, kn], [lstmWeight, 1 - lstmWeight]);
  let cache = {
    weights: [lstmWeight, 1 - lstmWeight, 0] as [number, number, number],
    loss,
    window: CACHE_WINDOWS[0] as number,
  };
  for (const window of CACHE_WINDOWS) {
    const cached = unigramCacheProbabilities(validation.stream, validation.positions, window);
    const fit = bestThreeModelWeights([lstm, kn, cached], CACHE_WEIGHTS);
    if (fit.loss < cache.loss) cache = { ...fit, window };
  }
  return {
    lstmWeight,
    validationPerplexity: Math.exp(loss),
    cache: { window: cache.window, weights: cache.weights, validationPerplexity: Math.exp(cache.loss) },
  };
}

/** The LSTM with a cache and no n-gram: the LSTM's weight λ in λ P_lstm + (1 - λ) P_cache, and the window. */
export interface LstmCacheWeights {
  window: number;
  lstmWeight: number;
  validationPerplexity: number;
}

/**
 * The LSTM's mixture with the unigram cache alone (no trigram), fitted on the validation split like the
 * others: what the cache, a lever of the neural model's own (Grave et al. 2017), adds without a Markov
 * chain in the mixture. The quality bench reports it; the bot samples with the full mixture.
 */
export function fitLstmCacheWeights(validation: ValidationTargets): LstmCacheWeights {
  let best: LstmCacheWeights = { window: CACHE_WINDOWS[0], lstmWeight: 1, validationPerplexity: Infinity };
  for (const window of CACHE_WINDOWS) {
    const cached = unigramCacheProbabilities(validation.stream, validation.positions, window);
    const lstmWeight = bestTwoModelWeight(validation.lstm, cached);
    const perplexity = Math.exp(mixtureCrossEntropy([validation.lstm, cached], [lstmWeight, 1 - lstmWeight]));
    if (perplexity < best.validationPerplexity) best = { window, lstmWeight, validationPerplexity: perplexity };
  }
  return best;
}

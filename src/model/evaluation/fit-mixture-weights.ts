/**
 * The weights a channel model samples with, fitted on the fine-tune's validation split
 * (`validationTargets`): λ of the LSTM in its mixture with the channel's Kneser-Ney trigram,
 * λ P_lstm + (1 - λ) P_kn, and the three weights of that mixture plus a cache of the preceding tokens,
 * w1 P_lstm + w2 P_kn + w3 P_cache, with the cache's window and θ: a continuous cache (Grave et al.
 * 2017, `continuous-cache.ts`) when the LSTM's hidden states on the split are given, else a unigram
 * cache. The `/retrain` stores both with the model; the quality bench fits a model that has none the
 * same way.
 */
import { bestThreeModelWeights, bestTwoModelWeight, mixtureCrossEntropy } from './mixture-weights.js';
import { ContinuousCacheScorer } from './continuous-cache.js';
import type { HiddenStates } from './target-probabilities.js';
import { unigramCacheProbabilities } from './unigram-cache.js';

/**
 * Cache sizes (tokens) tried. A sample's cache holds what the generator read before its next token
 * (the channel's recent messages, at most 256 tokens of them, then the prompt and the reply so far), so
 * longer windows would be scored on a history the bot never has.
 */
export const CACHE_WINDOWS = [50, 100, 200, 256] as const;
/**
 * θ of the continuous cache tried (`continuous-cache.ts`), 0 being the unigram cache. On the quality
 * bench's three rooms the fit chose 1, 1 and 0.5.
 */
export const CACHE_THETAS = [0, 0.5, 1, 1.5, 2] as const;
/** Cache weights tried (w3); w1 on a grid of 0.01 in what is left, w2 the rest. */
export const CACHE_WEIGHTS = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2] as const;

/** The weights of the LSTM, the trigram and the cache, and the cache's window and θ (absent: 0, a unigram cache). */
export interface CacheMixtureWeights {
  window: number;
  theta?: number;
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
  /** The LSTM's hidden states on the split (a continuous cache's keys); absent: unigram caches only. */
  hidden?: HiddenStates;
}

/** A cache tried: its window and θ, its probabilities of the validation targets, and its fit with the LSTM alone. */
interface RankedCache {
  window: number;
  theta: number;
  cached: Float64Array;
  /** λ of λ P_lstm + (1 - λ) P_cache, and that mixture's perplexity on the split. */
  lstmWeight: number;
  perplexity: number;
}

/**
 * Each cache tried (window by θ; θ 0 only without hidden states), best first by its mixture with the
 * LSTM alone (a grid of 100 weights each, where a three-model fit takes 800).
 */
function rankedCaches(validation: ValidationTargets): RankedCache[] {
  const { stream, positions, hidden, lstm } = validation;
  const scorer = hidden && new ContinuousCacheScorer(stream, positions, hidden, Math.max(...CACHE_WINDOWS));
  const ranked: RankedCache[] = [];
  for (const theta of scorer ? CACHE_THETAS : [0]) {
    const byWindow = scorer
      ? scorer.probabilitiesByWindow(CACHE_WINDOWS, theta)
      : CACHE_WINDOWS.map((window) => unigramCacheProbabilities(stream, positions, window));
    CACHE_WINDOWS.forEach((window, w) => {
      const cached = byWindow[w]!;
      const lstmWeight = bestTwoModelWeight(lstm, cached);
      const perplexity = Math.exp(mixtureCrossEntropy([lstm, cached], [lstmWeight, 1 - lstmWeight]));
      ranked.push({ window, theta, cached, lstmWeight, perplexity });
    });
  }
  return ranked.sort((a, b) => a.perplexity - b.perplexity);
}

/** The continuous caches, best first by `rankedCaches`, that get the three-model fit with the trigram. */
const CACHES_FITTED_WITH_TRIGRAM = 3;

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
    theta: 0,
  };
  const ranked = rankedCaches(validation);
  // Without hidden states there are only the windows' unigram caches: each gets the full fit.
  for (const { window, theta, cached } of validation.hidden ? ranked.slice(0, CACHES_FITTED_WITH_TRIGRAM) : ranked) {
    const fit = bestThreeModelWeights([lstm, kn, cached], CACHE_WEIGHTS);
    if (fit.loss < cache.loss) cache = { ...fit, window, theta };
  }
  const { window, theta, weights } = cache;
  return {
    lstmWeight,
    validationPerplexity: Math.exp(loss),
    cache: { window, ...(theta > 0 && { theta }), weights, validationPerplexity: Math.exp(cache.loss) },
  };
}

/** The LSTM with a cache and no n-gram: the LSTM's weight λ in λ P_lstm + (1 - λ) P_cache, the window and θ. */
export interface LstmCacheWeights {
  window: number;
  theta: number;
  lstmWeight: number;
  validationPerplexity: number;
}

/**
 * The LSTM's mixture with the cache alone (no trigram), fitted on the validation split like the others:
 * what the cache, a lever of the neural model's own (Grave et al. 2017), adds without a Markov chain in
 * the mixture. The quality bench reports it; the bot samples with the full mixture.
 */
export function fitLstmCacheWeights(validation: ValidationTargets): LstmCacheWeights {
  const [best] = rankedCaches(validation);
  return {
    window: best!.window,
    theta: best!.theta,
    lstmWeight: best!.lstmWeight,
    validationPerplexity: best!.perplexity,
  };
}

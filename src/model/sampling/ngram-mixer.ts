/**
 * Sampling from the mixture of the LSTM and the channel's Kneser-Ney n-gram,
 *
 *   P(w) = λ P_lstm(w) + (1 - λ) P_kn(w | the previous ids),
 *
 * or, for a model whose card has a cache with a weight above 0, that mixture plus a cache of the ids
 * the sample has read (`CacheWindow`: the channel's recent messages when the worker reads them, the
 * prompt, the reply so far), continuous (θ above 0) or unigram,
 *
 *   P(w) = w1 P_lstm(w) + w2 P_kn(w | the previous ids) + w3 share(w) / (the window's shares),
 *
 * with P_kn unrolled into parts:
 *
 *   a3(w | u v) + β3 (a2(w | v) + β2 P1(w))
 *
 * sparse follower lists a3, a2 (`FollowerTable`s, flat typed arrays), their back-off weights β and a
 * dense unigram vector P1, all precomputed from the model, which is not kept: a few megabytes, no
 * map lookup per word. `sampleFromMixture` draws from the parts; `mixInto` writes the mixture over the
 * LSTM's row (for greedy, top-k and top-p draws). The tokens the sampler never draws (`<pad>`,
 * `<unk>`) are taken out of the n-gram's and the cache's shares, as they are of the LSTM's row. A
 * temperature applies to the mixture as a whole (`sampleFromMixture`), from the LSTM's row at temperature 1.
 */
import type { CacheWindow } from './cache-window.js';
import { samplesWithCache, type CacheMixtureWeights } from '../evaluation/fit-mixture-weights.js';
import { followerIndex, type FollowerList, type FollowerTable } from './follower-table.js';
import type { KneserNey } from '../evaluation/kneser-ney.js';
import { EOS_ID, PAD_ID, UNK_ID } from '../text/special-tokens.js';

export interface MixtureParts {
  lstm: number;
  lists: { list: FollowerList; scale: number }[];
  unigram: number;
  /** The cache's ids and counts, and the weight of one count (w3 / ids in the window), with a cache. */
  cache?: { list: ReturnType<CacheWindow['list']>; scale: number };
}

export class NgramMixer {
  readonly vocabSize: number;
  readonly order: number;
  /** P1, and its cumulative sums (`unigramCdf[w]`: the mass of the ids below w). */
  readonly unigram: Float32Array;
  readonly unigramCdf: Float64Array;
  /** The largest entry of P1. */
  readonly unigramMax: number;
  /** Follower tables by context length 1 .. order - 1. */
  readonly #levels: FollowerTable[];
  /** The weights of the LSTM, the n-gram and the cache: (λ, 1 - λ, 0) without a cache. */
  readonly weights: readonly [number, number, number];
  /** The cache's window and weights, when the mixture has a cache (its weight above 0). */
  readonly cache: CacheMixtureWeights | undefined;
  /** Ids never sampled: they hold no probability in the LSTM's row, and are taken out of the other parts. */
  readonly masked: readonly number[];

  /** The same n-gram without the cache (`withoutCache`), made once. */
  #withoutCache: NgramMixer | undefined;

  constructor(
    /** The channel's n-gram, or a mixer whose tables this one shares (`withoutCache`). */
    source: KneserNey | NgramMixer,
    /** λ, the LSTM's weight without a cache. */
    readonly lstmWeight: number,
    options: { cache?: CacheMixtureWeights; masked?: readonly number[] } = {},
  ) {
    if (!(lstmWeight >= 0 && lstmWeight <= 1))
      throw new RangeError(`the LSTM's weight must be in [0, 1], got ${lstmWeight}`);
    this.masked = options.masked ?? [PAD_ID, UNK_ID];
    this.cache = samplesWithCache(options.cache) ? checkedCache(options.cache) : undefined;
    this.weights = this.cache?.weights ?? [lstmWeight, 1 - lstmWeight, 0];
    if (source instanceof NgramMixer) {
      ({ vocabSize: this.vocabSize, order: this.order, unigram: this.unigram, unigramCdf: this.unigramCdf } = source);
      this.unigramMax = source.unigramMax;
      this.#levels = source.#levels;
      return;
    }
    const kneserNey = source;
    const V = (this.vocabSize = kneserNey.vocabSize);
    this.order = kneserNey.order;
    const unigram = kneserNey.followers(0).list(0);
    this.unigram = new Float32Array(V);
    for (let w = 1; w < V; w++) this.unigram[w] = (unigram?.backoff ?? 1) / (V - 1);
    if (unigram) unigram.words.forEach((w, j) => (this.unigram[w]! += unigram.shares[j]!));
    this.unigramCdf = new Float64Array(V + 1);
    for (let w = 0; w < V; w++) this.unigramCdf[w + 1] = this.unigramCdf[w]! + this.unigram[w]!;
    this.unigramMax = this.unigram.reduce((max, p) => Math.max(max, p), 0);
    this.#levels = Array.from({ length: this.order - 1 }, (_, k) => kneserNey.followers(k + 1));
  }

  /**
   * The mixture without its cache, λ P_lstm + (1 - λ) P_kn, sharing this one's tables: what a sample
   * draws from when its cache would hold too little of the channel (`MIN_CONTINUOUS_CACHE_IDS`).
   */
  withoutCache(): NgramMixer {
    if (!this.cache) return this;
    this.#withoutCache ??= new NgramMixer(this, this.lstmWeight, { masked: this.masked });
    return this.#withoutCache;
  }

  /** The ids that give the n-gram its context: the last `order - 1` of `ids`, `<eos>` before the start. */
  contextOf(ids: ArrayLike<number>, end: number = ids.length): number[] {
    const n = this.order - 1;
    return Array.from({ length: n }, (_, k) => (end - n + k >= 0 ? ids[end - n + k]! : EOS_ID));
  }

  /**
   * The mixture for one context as weighted parts: the LSTM's row (weight w1), each follower list
   * (weight w2 times the back-off weights above it), the unigram vector (what is left of w2) and the
   * cache's list (w3 over its ids), before `<pad>` and `<unk>` are taken out. `cache`: the sample's
   * window, which a mixture with a cache needs.
   */
  parts(context: readonly number[], cache?: CacheWindow): MixtureParts {
    const parts = this.#parts(context, this.weights[1]);
    if (!this.cache) return parts;
    if (!cache) throw new Error('this mixture has a cache: sample it with a CacheWindow');
    return { ...parts, cache: { list: cache.list(), scale: cache.total > 0 ? this.weights[2] / cache.total : 0 } };
  }

  #parts(context: readonly number[], ngramWeight: number): MixtureParts {
    const V = this.vocabSize;
    let key = 0;
    for (const id of context) key = key * V + id;
    let scale = ngramWeight;
    const lists: MixtureParts['lists'] = [];
    for (let level = context.length; level >= 1; level--) {
      const list = this.#levels[level - 1]!.list(key % V ** level);
      if (!list) continue;
      lists.push({ list, scale });
      scale *= list.backoff;
    }
    return { lstm: this.weights[0], lists, unigram: scale };
  }

  /** P_kn(w | context), the n-gram alone. */
  probability(context: readonly number[], w: number): number {
    if (w <= PAD_ID || w >= this.vocabSize) return 0;
    const { lists, unigram } = this.#parts(context, 1);
    let p = unigram * this.unigram[w]!;
    for (const { list, scale } of lists) {
      const j = followerIndex(list.words, w);
      if (j >= 0) p += scale * list.shares[j]!;
    }
    return p;
  }

  /**
   * Mixes `probs[offset .. offset + V)` (the LSTM's row, summing to 1) in place; `context` from
   * `contextOf`, `cache` the sample's window (a mixture with a cache needs it).
   */
  mixInto(probs: Float32Array, offset: number, context: readonly number[], cache?: CacheWindow): void {
    const V = this.vocabSize;
    const { lstm: lstmWeight, lists, unigram: scale, cache: cached } = this.parts(context, cache);
    let maskedMass = 0;
    for (const id of this.masked) maskedMass += this.probability(context, id);
    // The cache's share of the ids never drawn (all of w3 when the window is empty).
    let cacheMasked = 0;
    if (cached)
      cacheMasked =
        cached.scale > 0 ? this.masked.reduce((m, id) => m + cached.scale * cache!.count(id), 0) : this.weights[2];
    const norm = 1 / (1 - this.weights[1] * maskedMass - cacheMasked);
    const lstm = lstmWeight * norm;
    const uni = scale * norm;
    const unigram = this.unigram;
    for (let w = 0; w < V; w++) probs[offset + w] = lstm * probs[offset + w]! + uni * unigram[w]!;
    for (const { list, scale: s } of lists) {
      for (let j = 0; j < list.words.length; j++) probs[offset + list.words[j]!]! += s * norm * list.shares[j]!;
    }
    if (cached) {
      const { words, shares } = cached.list;
      for (let j = 0; j < words.length; j++) probs[offset + words[j]!]! += cached.scale * norm * shares[j]!;
    }
    for (const id of this.masked) probs[offset + id] = 0;
  }
}

function checkedCache(cache: CacheMixtureWeights): CacheMixtureWeights {
  const { window, weights, theta = 0 } = cache;
  const sum = weights[0] + weights[1] + weights[2];
  if (!weights.every((w) => w >= 0 && w <= 1) || Math.abs(sum - 1) > 1e-6)
    throw new RangeError(`the mixture's weights must be in [0, 1] and sum to 1, got ${weights.join(', ')}`);
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`the cache's window must be a positive integer, got ${window}`);
  if (!(theta >= 0 && theta <= 100)) throw new RangeError(`the cache's θ must be in [0, 100], got ${theta}`);
  return { window, ...(theta > 0 && { theta }), weights: [...weights] };
}

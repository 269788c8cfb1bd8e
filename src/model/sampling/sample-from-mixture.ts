/**
 * Draws the next token from the LSTM + n-gram (+ cache) mixture at a temperature, without a pass over
 * the whole row where it can: the mixture is a sum of weighted parts (`NgramMixer.parts`: the LSTM's
 * row, a few follower lists, the unigram vector, the cache's list of ids), so a part is picked in
 * proportion to the mass it has left once the banned tokens (and the never-sampled `<pad>` and `<unk>`)
 * are taken out, then a token within it: the LSTM's row by a plain draw over what the banned tokens
 * leave of it (`drawFromRowOfTotal`), a follower list, the unigram vector or the cache by a binary
 * search of its cumulative sums. That is the mixture at
 * temperature 1, from the LSTM's row at temperature 1: exactly the distribution `mixInto` writes out.
 *
 * The temperature applies to the whole mixture, P(w)^(1/T) renormalised (every part alike). Below 1
 * the draw is exact and cheap by rejection: a token drawn from the mixture is kept with probability
 * (P(w) / M)^(1/T - 1), M a bound on the largest P(w), else drawn again; after `MAX_TEMPERED_DRAWS`
 * rejections (only at very low temperatures) the mixture is written over the row and tempered there.
 * A greedy, top-k or top-p draw, or a temperature above 1, needs the whole row, and gets it from
 * `mixInto` (tempered in place: about a third of a millisecond for 10,000 words).
 */
import type { CacheWindow } from './cache-window.js';
import { followerIndex } from './follower-table.js';
import type { NgramMixer } from './ngram-mixer.js';
import {
  drawFromRowOfTotal,
  removeBanned,
  sampleNextToken,
  type SamplingScratch,
  type TokenSampling,
} from './sample-next-token.js';

/** One draw's settings: how to sample, at what temperature (of the whole mixture), what never to draw. */
export interface MixtureDraw {
  sampling: TokenSampling;
  /** In (0, 2]; the LSTM's row must be at temperature 1. Ignored by a greedy draw. */
  temperature: number;
  banned: readonly number[];
  random: () => number;
  scratch: SamplingScratch;
  /** The ids the sample has read, when the mixer has a cache (`NgramMixer.cache`). */
  cache?: CacheWindow;
}

/** Rejections before a tempered draw falls back to the whole row. */
const MAX_TEMPERED_DRAWS = 16;
/** Attempts of a tempered draw with the loose bound (the LSTM's largest taken as 1). */
const LOOSE_ATTEMPTS = 3;

export function sampleFromMixture(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  draw: MixtureDraw,
): number {
  const { sampling, temperature } = draw;
  if (sampling.greedy || sampling.topK > 0 || sampling.topP < 1 || temperature > 1)
    return drawFromMixedRow(mixer, probs, offset, context, draw);
  const drawn = withParts(mixer, probs, offset, context, draw, (parts) => {
    if (temperature === 1) return pickFromParts(mixer, parts, probs, offset, draw);
    const exponent = 1 / temperature - 1;
    // A bound that takes the LSTM's largest probability as 1 costs nothing; after a few rejections the
    // row's true largest is looked up (a pass over it) for a tighter one. Every attempt, whatever its
    // bound, keeps a token in proportion to P(w)^(1/T): the draw stays exact.
    let bound = largestProbabilityBound(mixer, parts, 1);
    for (let attempt = 0; attempt < MAX_TEMPERED_DRAWS; attempt++) {
      if (attempt === LOOSE_ATTEMPTS)
        bound = largestProbabilityBound(mixer, parts, rowMax(probs, offset, mixer.vocabSize));
      const token = pickFromParts(mixer, parts, probs, offset, draw);
      if (token < 0) return token;
      const p = partsProbability(mixer, parts, probs[offset + token]!, context, token, draw.cache);
      if (draw.random() < Math.min(1, p / bound) ** exponent) return token;
    }
    return undefined;
  });
  return drawn ?? drawFromMixedRow(mixer, probs, offset, context, draw);
}

/** The mixture written over the row, raised to 1/T and renormalised, then `sampleNextToken` (greedy, top-k, top-p). */
function drawFromMixedRow(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  { sampling, temperature, banned, random, scratch, cache }: MixtureDraw,
): number {
  const V = mixer.vocabSize;
  mixer.mixInto(probs, offset, context, cache);
  if (!sampling.greedy && temperature !== 1) {
    const inverse = 1 / temperature;
    let total = 0;
    for (let i = offset; i < offset + V; i++) total += probs[i] = Math.exp(Math.log(probs[i]!) * inverse);
    for (let i = offset; i < offset + V; i++) probs[i] = probs[i]! / total;
  }
  return sampleNextToken(probs, offset, V, sampling, banned, random, scratch);
}

/** One draw's parts of the mixture (the LSTM's row aside), each with its weight and the mass it has left. */
interface Parts {
  lists: Sorted[];
  scales: number[];
  masses: number[];
  /** What is left of the LSTM's row once the banned tokens are out (they are zeroed in the row). */
  lstmLeft: number;
  lstmMass: number;
  total: number;
  excluded: readonly number[];
  marks: Uint8Array;
  /** The weight of one count of the cache (0 without one). */
  cacheScale: number;
}

/** Per mixer, one mark per id (1: excluded from this draw), cleared after each draw. */
const markBuffers = new WeakMap<NgramMixer, Uint8Array>();

/**
 * Runs `use` with the parts of the mixture after `context`, the banned tokens (and the never-sampled
 * ones) marked as excluded; the marks are cleared after it.
 */
function withParts<T>(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  { banned, cache }: Pick<MixtureDraw, 'banned' | 'cache'>,
  use: (parts: Parts) => T,
): T {
  const excluded = [...new Set([...banned, ...mixer.masked])].sort((a, b) => a - b);
  let marks = markBuffers.get(mixer);
  if (!marks) markBuffers.set(mixer, (marks = new Uint8Array(mixer.vocabSize)));
  for (const token of excluded) marks[token] = 1;
  try {
    const parts = mixer.parts(context, cache);
    // The banned tokens leave the LSTM's row once, here: a draw of several attempts draws from it again.
    const lstmLeft = removeBanned(probs, offset, mixer.vocabSize, banned);
    const lstmMass = parts.lstm * Math.max(0, lstmLeft);
    const lists: Sorted[] = parts.lists.map(({ list }) => list);
    lists.push({ words: undefined, shares: mixer.unigram, cumulative: mixer.unigramCdf });
    const scales = [...parts.lists.map(({ scale }) => scale), parts.unigram];
    if (parts.cache) {
      lists.push(parts.cache.list);
      scales.push(parts.cache.scale);
    }
    const masses = lists.map((list, k) => scales[k]! * allowedMass(list, excluded));
    const total = lstmMass + masses.reduce((a, b) => a + b, 0);
    const cacheScale = parts.cache?.scale ?? 0;
    return use({ lists, scales, masses, lstmLeft, lstmMass, total, excluded, marks, cacheScale });
  } finally {
    for (const token of excluded) marks[token] = 0;
  }
}

/** The mixture at temperature 1: a part in proportion to the mass it has left, then a token within it. */
function pickFromParts(mixer: NgramMixer, parts: Parts, probs: Float32Array, offset: number, draw: MixtureDraw) {
  const { lists, scales, masses, lstmMass, total, excluded, marks } = parts;
  if (!(total > 0)) return -1;
  let u = draw.random() * total;
  if (u >= lstmMass) {
    u -= lstmMass;
    for (let k = 0; k < lists.length; k++) {
      if (u < masses[k]!) return drawSorted(lists[k]!, { excluded, marks }, u / scales[k]!);
      u -= masses[k]!;
    }
  }
  // The LSTM's part, or a draw past the last part's end (rounding): the LSTM's row decides (a plain draw:
  // greedy, top-k and top-p draws take the whole mixed row instead).
  return drawFromRowOfTotal(probs, offset, mixer.vocabSize, parts.lstmLeft, draw.random);
}

/** The largest entry of the row. */
function rowMax(probs: Float32Array, offset: number, length: number): number {
  let max = 0;
  for (let i = offset; i < offset + length; i++) if (probs[i]! > max) max = probs[i]!;
  return max;
}

/**
 * A bound on the mixture's largest probability (unnormalised, as the parts are weighed): the LSTM's
 * largest (`lstmMax`, or a bound on it) times λ plus each n-gram part's largest share times its weight.
 */
function largestProbabilityBound(mixer: NgramMixer, parts: Parts, lstmMax: number): number {
  let bound = mixer.weights[0] * lstmMax;
  parts.lists.forEach((list, k) => {
    let listMax = list.words ? 0 : mixer.unigramMax;
    if (list.words) for (const share of list.shares as Float32Array) if (share > listMax) listMax = share;
    bound += parts.scales[k]! * listMax;
  });
  return bound;
}

/** P(token) as the parts weigh it (unnormalised, like `largestProbabilityBound`): the LSTM's, the n-gram's and the cache's. */
function partsProbability(
  mixer: NgramMixer,
  parts: Parts,
  lstmProbability: number,
  context: readonly number[],
  token: number,
  cache: CacheWindow | undefined,
): number {
  return (
    mixer.weights[0] * lstmProbability +
    mixer.weights[1] * mixer.probability(context, token) +
    (cache && parts.cacheScale > 0 ? parts.cacheScale * cache.count(token) : 0)
  );
}

/** Shares of tokens in ascending order with their cumulative sums; `words` undefined: entry j is token j. */
interface Sorted {
  words: Int32Array | undefined;
  shares: ArrayLike<number>;
  cumulative: Float64Array;
}

/** Entry of `token` in the list, or -1. */
function indexOf(list: Sorted, token: number): number {
  if (!list.words) return token < list.shares.length ? token : -1;
  return followerIndex(list.words, token);
}

function allowedMass(list: Sorted, excluded: readonly number[]): number {
  let mass = list.cumulative[list.shares.length]!;
  for (const token of excluded) {
    const j = indexOf(list, token);
    if (j >= 0) mass -= list.shares[j]!;
  }
  return Math.max(0, mass);
}

/**
 * The entry where the cumulative share of the allowed entries passes `u`: `u` is moved back to a
 * point of the full cumulative sums (each excluded entry before it shifts it by its share), then
 * found by binary search. Rounding that lands on an excluded or empty entry takes the nearest allowed one.
 */
function drawSorted(
  list: Sorted,
  { excluded, marks }: { excluded: readonly number[]; marks: Uint8Array },
  u: number,
): number {
  const { cumulative, shares } = list;
  const n = shares.length;
  let x = u;
  for (const token of excluded) {
    const j = indexOf(list, token);
    if (j < 0) continue;
    if (cumulative[j]! > x) break;
    x += shares[j]!;
  }
  let low = 0;
  let high = n - 1; // the entry j with cumulative[j] <= x < cumulative[j + 1]
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (cumulative[mid]! <= x) low = mid;
    else high = mid - 1;
  }
  const tokenAt = (j: number) => (list.words ? list.words[j]! : j);
  for (let j = low; j < n; j++) if (marks[tokenAt(j)] === 0 && shares[j]! > 0) return tokenAt(j);
  for (let j = low - 1; j >= 0; j--) if (marks[tokenAt(j)] === 0 && shares[j]! > 0) return tokenAt(j);
  return -1;
}

/**
 * Draws the next token from the LSTM + n-gram (+ cache) mixture without a pass over the whole row: the
 * mixture is a sum of weighted parts (`NgramMixer.parts`: the LSTM's row, a few follower lists, the
 * unigram vector, the cache's list of ids), so a part is picked in proportion to the mass it has left once the banned tokens (and the
 * never-sampled `<pad>` and `<unk>`) are taken out, then a token within it: the LSTM's row by
 * `sampleNextToken`, a follower list, the unigram vector or the cache by a binary search of its cumulative sums. Exactly the distribution `mixInto` writes out, for plain sampling; a
 * greedy, top-k or top-p draw needs the whole row, and gets it from `mixInto`.
 */
import type { CacheWindow } from './cache-window.js';
import { followerIndex } from './follower-table.js';
import type { NgramMixer } from './ngram-mixer.js';
import { sampleNextToken, type SamplingScratch, type TokenSampling } from './sample-next-token.js';

export function sampleFromMixture(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  draw: MixtureDraw,
): number {
  const { sampling, banned, random, scratch, cache } = draw;
  const V = mixer.vocabSize;
  if (sampling.greedy || sampling.topK > 0 || sampling.topP < 1) {
    mixer.mixInto(probs, offset, context, cache);
    return sampleNextToken(probs, offset, V, sampling, banned, random, scratch);
  }
  const excluded = [...new Set([...banned, ...mixer.masked])].sort((a, b) => a - b);
  const marks = marksOf(mixer);
  for (const token of excluded) marks[token] = 1;
  try {
    return drawPart(mixer, probs, offset, context, { ...draw, excluded, marks });
  } finally {
    for (const token of excluded) marks[token] = 0;
  }
}

/** How to draw: the sampling, the tokens banned, the stream's generator and buffers, and its cache window. */
export interface MixtureDraw {
  sampling: TokenSampling;
  banned: readonly number[];
  random: () => number;
  scratch: SamplingScratch;
  /** The ids the sample has read, when the mixer has a cache (`NgramMixer.cache`). */
  cache?: CacheWindow;
}

/** Per mixer, one mark per id (1: excluded from this draw), cleared after each draw. */
const markBuffers = new WeakMap<NgramMixer, Uint8Array>();

function marksOf(mixer: NgramMixer): Uint8Array {
  let marks = markBuffers.get(mixer);
  if (!marks) markBuffers.set(mixer, (marks = new Uint8Array(mixer.vocabSize)));
  return marks;
}

function drawPart(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  draw: MixtureDraw & { excluded: readonly number[]; marks: Uint8Array },
): number {
  const { sampling, banned, random, scratch, excluded, marks } = draw;
  const V = mixer.vocabSize;
  const parts = mixer.parts(context, draw.cache);
  let lstmLeft = 1;
  for (const token of new Set(banned)) lstmLeft -= probs[offset + token]!;
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
  if (!(total > 0)) return -1;
  let u = random() * total;
  if (u >= lstmMass) {
    u -= lstmMass;
    for (let k = 0; k < lists.length; k++) {
      if (u < masses[k]!) return drawSorted(lists[k]!, { excluded, marks }, u / scales[k]!);
      u -= masses[k]!;
    }
  }
  // The LSTM's part, or a draw past the last part's end (rounding): the LSTM's row decides.
  return sampleNextToken(probs, offset, V, sampling, banned, random, scratch);
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

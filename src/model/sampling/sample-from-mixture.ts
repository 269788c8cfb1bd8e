/**
 * Draws the next token from the LSTM + n-gram mixture at a temperature, without a pass over the whole
 * row where it can: the mixture is a sum of weighted parts (`NgramMixer.parts`: the LSTM's row, a few
 * follower lists, the unigram vector), so a part is picked in proportion to the mass it has left once
 * the banned tokens (and the never-sampled `<pad>` and `<unk>`) are taken out, then a token within it:
 * the LSTM's row by `sampleNextToken`, a follower list or the unigram vector by a binary search of its
 * cumulative sums. That is the mixture at temperature 1, from the LSTM's row at temperature 1.
 *
 * The temperature applies to the whole mixture, P(w)^(1/T) renormalised (the LSTM's part and the
 * n-gram's alike). Below 1 the draw is exact and cheap by rejection: a token drawn from the mixture is
 * kept with probability (P(w) / M)^(1/T - 1), M a bound on the largest P(w), else drawn again; after
 * `MAX_TEMPERED_DRAWS` rejections (only at very low temperatures) the mixture is written over the row
 * and tempered there. A greedy, top-k or top-p draw, or a temperature above 1, needs the whole row, and
 * gets it from `mixInto` (tempered in place: about a third of a millisecond for 10,000 words).
 */
import { followerIndex } from './follower-table.js';
import type { NgramMixer } from './ngram-mixer.js';
import { sampleNextToken, type SamplingScratch, type TokenSampling } from './sample-next-token.js';

/** One draw's settings: how to sample, at what temperature (of the whole mixture), what never to draw. */
export interface MixtureDraw {
  sampling: TokenSampling;
  /** In (0, 2]; the LSTM's row must be at temperature 1. Ignored by a greedy draw. */
  temperature: number;
  banned: readonly number[];
  random: () => number;
  scratch: SamplingScratch;
}

/** Rejections before a tempered draw falls back to the whole row. */
const MAX_TEMPERED_DRAWS = 16;

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
  if (temperature === 1) return drawPlain(mixer, probs, offset, context, draw);
  const exponent = 1 / temperature - 1;
  const bound = largestProbabilityBound(mixer, probs, offset, context);
  for (let attempt = 0; attempt < MAX_TEMPERED_DRAWS; attempt++) {
    const token = drawPlain(mixer, probs, offset, context, draw);
    if (token < 0) return token;
    const p = mixer.lstmWeight * probs[offset + token]! + (1 - mixer.lstmWeight) * mixer.probability(context, token);
    if (draw.random() < Math.min(1, p / bound) ** exponent) return token;
  }
  return drawFromMixedRow(mixer, probs, offset, context, draw);
}

/** The mixture written over the row, raised to 1/T and renormalised, then `sampleNextToken` (greedy, top-k, top-p). */
function drawFromMixedRow(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  { sampling, temperature, banned, random, scratch }: MixtureDraw,
): number {
  const V = mixer.vocabSize;
  mixer.mixInto(probs, offset, context);
  if (!sampling.greedy && temperature !== 1) {
    const inverse = 1 / temperature;
    let total = 0;
    for (let i = offset; i < offset + V; i++) total += probs[i] = Math.exp(Math.log(probs[i]!) * inverse);
    for (let i = offset; i < offset + V; i++) probs[i] = probs[i]! / total;
  }
  return sampleNextToken(probs, offset, V, sampling, banned, random, scratch);
}

/**
 * A bound on the mixture's largest probability (unnormalised, as `drawPart` weighs the parts): the
 * LSTM's largest times λ plus each n-gram part's largest share times its weight.
 */
function largestProbabilityBound(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
): number {
  let rowMax = 0;
  for (let i = offset; i < offset + mixer.vocabSize; i++) if (probs[i]! > rowMax) rowMax = probs[i]!;
  const parts = mixer.parts(context);
  let bound = parts.lstm * rowMax + parts.unigram * mixer.unigramMax;
  for (const { list, scale } of parts.lists) {
    let listMax = 0;
    for (const share of list.shares) if (share > listMax) listMax = share;
    bound += scale * listMax;
  }
  return bound;
}

/** The mixture at temperature 1, drawn part by part. */
function drawPlain(
  mixer: NgramMixer,
  probs: Float32Array,
  offset: number,
  context: readonly number[],
  draw: MixtureDraw,
): number {
  const excluded = [...new Set([...draw.banned, ...mixer.masked])].sort((a, b) => a - b);
  const marks = marksOf(mixer);
  for (const token of excluded) marks[token] = 1;
  try {
    return drawPart(mixer, probs, offset, context, { ...draw, excluded, marks });
  } finally {
    for (const token of excluded) marks[token] = 0;
  }
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
  draw: {
    sampling: TokenSampling;
    banned: readonly number[];
    random: () => number;
    scratch: SamplingScratch;
    excluded: readonly number[];
    marks: Uint8Array;
  },
): number {
  const { sampling, banned, random, scratch, excluded, marks } = draw;
  const V = mixer.vocabSize;
  const parts = mixer.parts(context);
  let lstmLeft = 1;
  for (const token of new Set(banned)) lstmLeft -= probs[offset + token]!;
  const lstmMass = parts.lstm * Math.max(0, lstmLeft);
  const lists: Sorted[] = parts.lists.map(({ list }) => list);
  lists.push({ words: undefined, shares: mixer.unigram, cumulative: mixer.unigramCdf });
  const scales = [...parts.lists.map(({ scale }) => scale), parts.unigram];
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

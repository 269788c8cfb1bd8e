/** How one stream picks its next token from a probability row. */
export interface TokenSampling {
  /** Temperature 0: always the most likely allowed token; no random number is drawn. */
  greedy: boolean;
  /** Keep only the k most likely tokens (0: off). */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1: off). */
  topP: number;
}

/** Reusable buffers for one vocabulary size, so a step allocates nothing. */
export interface SamplingScratch {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export function createSamplingScratch(vocabSize: number): SamplingScratch {
  return { indices: new Int32Array(vocabSize), values: new Float64Array(vocabSize) };
}

/**
 * Picks the next token from `probs[offset .. offset + vocabSize)`, the softmax of one stream's logits
 * at its temperature (tokens that may never be sampled, `<pad>` and `<unk>`, already hold 0).
 * `banned` tokens (from the no-repeat guard) get probability 0 first; the row is modified.
 * Top-k is applied before top-p (on the top-k set), as in common practice. Draws at most one number
 * from `random`. Returns -1 when no allowed token has any probability left (a broken model, or a
 * guard that banned every likely token at a tiny temperature): the caller ends the message there.
 *
 * Speed: the row is a softmax, so its total is taken as 1 minus the banned mass rather than summed
 * (a row drawn from again, its banned tokens zeroed by the first draw, must be restored first),
 * and plain sampling walks the row only until the drawn number is reached (vocabularies are sorted
 * by frequency, so that is usually early). The float32 row sums to 1 within about 1e-6; a draw that
 * runs past the row's true total (probability of that order) takes the last token with probability.
 */
export function sampleNextToken(
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  sampling: TokenSampling,
  banned: readonly number[],
  random: () => number,
  scratch: SamplingScratch,
): number {
  const total = removeBanned(probs, offset, vocabSize, banned);
  const end = offset + vocabSize;

  if (sampling.greedy || sampling.topK === 1) {
    let best = -1;
    let bestP = 0;
    for (let i = offset; i < end; i++) {
      const p = probs[i]!;
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    return best < 0 ? -1 : best - offset;
  }

  if (sampling.topK > 0 && sampling.topK < vocabSize) {
    const count = topByProbability(probs, offset, vocabSize, sampling.topK, scratch);
    let mass = 0;
    for (let j = 0; j < count; j++) mass += scratch.values[j]!;
    return pickFromSorted(count, sampling.topP < 1 ? sampling.topP * mass : mass, random, scratch);
  }

  if (!(total > 0)) return -1;

  if (sampling.topP < 1) {
    const target = sampling.topP * total;
    for (let size = 64; ; size *= 8) {
      const count = topByProbability(probs, offset, vocabSize, Math.min(size, vocabSize), scratch);
      let mass = 0;
      for (let j = 0; j < count; j++) mass += scratch.values[j]!;
      if (mass >= target || count >= vocabSize) return pickFromSorted(count, target, random, scratch);
    }
  }

  return drawFromRow(probs, offset, end, random() * total);
}

/**
 * Zeroes the `banned` entries of a softmax row `probs[offset .. offset + vocabSize)` in place and returns
 * the mass left: 1 minus what they held, or, when they held nearly all of it (1 - banned is too imprecise
 * in float32 then), the sum of what is left.
 */
export function removeBanned(
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  banned: readonly number[],
): number {
  let left = 1;
  for (const token of banned) {
    left -= probs[offset + token]!;
    probs[offset + token] = 0;
  }
  if (left >= 1e-3) return left;
  let sum = 0;
  for (let i = offset; i < offset + vocabSize; i++) sum += probs[i]!;
  return sum;
}

/**
 * A plain draw from `probs[offset .. offset + vocabSize)` when its entries sum to `total`, not to 1 (a
 * row whose banned tokens were zeroed already, drawn from again: `sampleNextToken` would take it for a
 * whole softmax, and a draw past its end would take the last token). Returns -1 when `total` is not positive.
 */
export function drawFromRowOfTotal(
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  total: number,
  random: () => number,
): number {
  if (!(total > 0)) return -1;
  return drawFromRow(probs, offset, offset + vocabSize, random() * total);
}

/** Tokens summed per block by the plain draw before it looks inside the block that holds the draw. */
const DRAW_BLOCK = 64;

/**
 * The first token whose cumulative probability exceeds `u`. Whole blocks are summed first (one add
 * per token, no comparison), then the block that holds `u` is walked token by token: about twice as
 * fast as a plain walk when the draw lands deep in the row. A draw past the row's total (float32
 * rounding) takes the last token with probability.
 */
function drawFromRow(probs: Float32Array, offset: number, end: number, u: number): number {
  let acc = 0;
  let i = offset;
  for (; i + DRAW_BLOCK <= end; i += DRAW_BLOCK) {
    let block = 0;
    for (let k = i; k < i + DRAW_BLOCK; k++) block += probs[k]!;
    if (u < acc + block) break;
    acc += block;
  }
  for (; i < end; i++) {
    const p = probs[i]!;
    if (p > 0) {
      acc += p;
      if (u < acc) return i - offset;
    }
  }
  for (let k = end - 1; k >= offset; k--) if (probs[k]! > 0) return k - offset;
  return -1;
}

/**
 * Samples among the `count` candidates in `scratch` (sorted by probability, descending), keeping the
 * shortest prefix whose mass reaches `target` (the whole set when target is its total mass).
 */
function pickFromSorted(count: number, target: number, random: () => number, scratch: SamplingScratch): number {
  const { indices, values } = scratch;
  let kept = 0;
  let mass = 0;
  while (kept < count && (kept === 0 || mass < target)) mass += values[kept++]!;
  if (!(mass > 0)) return -1;
  const u = random() * mass;
  let acc = 0;
  for (let j = 0; j < kept; j++) {
    acc += values[j]!;
    if (u < acc) return indices[j]!;
  }
  return indices[kept - 1]!;
}

/**
 * The k most probable tokens of the row, in `scratch` sorted by probability (descending), ties by
 * lower id. A min-heap of size k: one pass over the row, no full sort. Returns k.
 */
function topByProbability(
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  k: number,
  scratch: SamplingScratch,
): number {
  const { indices, values } = scratch;
  let size = 0;
  for (let token = 0; token < vocabSize; token++) {
    const p = probs[offset + token]!;
    if (size < k) {
      let child = size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!worse(p, token, values[parent]!, indices[parent]!)) break;
        values[child] = values[parent]!;
        indices[child] = indices[parent]!;
        child = parent;
      }
      values[child] = p;
      indices[child] = token;
    } else if (worse(values[0]!, indices[0]!, p, token)) {
      siftDown(values, indices, size, p, token);
    }
  }
  // Heap sort in place: repeatedly move the worst to the end, giving descending order.
  for (let end = size - 1; end > 0; end--) {
    const p = values[end]!;
    const token = indices[end]!;
    values[end] = values[0]!;
    indices[end] = indices[0]!;
    siftDown(values, indices, end, p, token);
  }
  return size;
}

/** True when (pa, ta) ranks below (pb, tb): lower probability, or equal and a higher id. */
function worse(pa: number, ta: number, pb: number, tb: number): boolean {
  return pa < pb || (pa === pb && ta > tb);
}

/** Puts (p, token) at the root of the min-heap of `size` and restores the heap order. */
function siftDown(values: Float64Array, indices: Int32Array, size: number, p: number, token: number): void {
  let parent = 0;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    if (child + 1 < size && worse(values[child + 1]!, indices[child + 1]!, values[child]!, indices[child]!)) child++;
    if (!worse(values[child]!, indices[child]!, p, token)) break;
    values[parent] = values[child]!;
    indices[parent] = indices[child]!;
    parent = child;
  }
  values[parent] = p;
  indices[parent] = token;
}

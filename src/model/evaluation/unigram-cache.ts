/**
 * A unigram cache of a stream's recent tokens (Kuhn and De Mori 1990; the cache Grave et al. 2017 made
 * continuous): P_cache(w) at position i is the share of w among the `window` tokens before i (fewer at
 * the stream's start). As a bot sees a channel's recent messages, the cache of a held-out stream holds
 * the tokens that came before each target.
 */

/** P_cache(stream[i]) for each position i of `positions` (ascending, each at least 1). */
export function unigramCacheProbabilities(stream: Int32Array, positions: Int32Array, window: number): Float64Array {
  const counts = new Map<number, number>();
  const probabilities = new Float64Array(positions.length);
  let from = 0; // the cache holds stream[from .. to)
  let to = 0;
  positions.forEach((position, n) => {
    if (position < 1) throw new Error('a cache needs a token before the target');
    for (; to < position; to++) counts.set(stream[to]!, (counts.get(stream[to]!) ?? 0) + 1);
    for (; from < to - window; from++) counts.set(stream[from]!, counts.get(stream[from]!)! - 1);
    probabilities[n] = (counts.get(stream[position]!) ?? 0) / (to - from);
  });
  return probabilities;
}

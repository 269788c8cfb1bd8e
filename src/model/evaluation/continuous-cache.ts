/**
 * The continuous cache of Grave, Joulin and Usunier (2017, "Improving neural language models with a
 * continuous cache"): at position p, each of the `window` tokens before it counts by how alike the
 * LSTM's state was when it came, exp(θ h_p · h_q), where h_q is the top layer's output that predicted
 * stream[q] (`HiddenStates`):
 *
 *   P_cache(w) = Σ_q [stream[q] = w] exp(θ h_p · h_q) / Σ_q exp(θ h_p · h_q),  q in [p - window, p)
 *
 * At θ = 0 every token of the window counts once: the unigram cache (`unigramCacheProbabilities`).
 * A bot's sample keeps the same keys for the ids it reads (`CacheWindow`), so the cache it samples with
 * is the one scored here.
 */
import type { HiddenStates } from './target-probabilities.js';
import { tf } from '../lstm/tf.js';
import { unigramCacheProbabilities } from './unigram-cache.js';

/** Stream positions whose dot products one matrix product makes (a block of rows against its band of keys). */
const BLOCK = 256;

/**
 * P_cache of a stream's scored positions for caches of several windows and θ, the dot products h_p · h_q
 * made afresh for each call, a block of positions at a time (`forEachBand`), so that memory stays a
 * block's whatever the stream's length.
 */
export class ContinuousCacheScorer {
  /** The index in `positions` of each stream position scored (-1: not scored). */
  readonly #indexOf: Int32Array;

  constructor(
    private readonly stream: Int32Array,
    private readonly positions: Int32Array,
    private readonly hidden: HiddenStates,
    readonly maxWindow: number,
  ) {
    if (hidden.values.length < stream.length * hidden.width)
      throw new RangeError('a hidden state is needed for every position');
    this.#indexOf = new Int32Array(stream.length).fill(-1);
    positions.forEach((p, n) => {
      if (p < 1) throw new Error('a cache needs a token before the target');
      this.#indexOf[p] = n;
    });
  }

  /** P_cache(stream[p]) for each scored position p, with the last `window` tokens (at most `maxWindow`) and θ. */
  probabilities(window: number, theta: number): Float64Array {
    return this.probabilitiesByWindow([window], theta)[0]!;
  }

  /**
   * `probabilities(window, theta)` for each of `windows`, in one pass over each position's band: the
   * weights are scaled by the largest of the widest window (an exponent of θ times a difference of dot
   * products, far from underflow at the θ fitted), which the shares do not see.
   */
  probabilitiesByWindow(windows: readonly number[], theta: number): Float64Array[] {
    if (theta === 0) return windows.map((window) => unigramCacheProbabilities(this.stream, this.positions, window));
    const { stream, positions, maxWindow } = this;
    for (const window of windows)
      if (!(Number.isInteger(window) && window >= 1 && window <= maxWindow))
        throw new RangeError(`window ${window} is outside 1..${maxWindow}`);
    const widest = Math.max(...windows);
    const byWindow = windows.map(() => new Float64Array(positions.length));
    // Each window's sums are read after its last band entry (j = window - 1, or the band's end).
    const totals = new Float64Array(widest + 1);
    const hits = new Float64Array(widest + 1);
    forEachBand(this.hidden, stream.length, widest, (p, dots) => {
      const n = this.#indexOf[p]!;
      if (n < 0) return;
      const size = Math.min(widest, p);
      let max = -Infinity;
      for (let j = 0; j < size; j++) max = Math.max(max, dots[j]!);
      for (let j = 0; j < size; j++) {
        const weight = Math.exp(theta * (dots[j]! - max));
        totals[j + 1] = totals[j]! + weight;
        hits[j + 1] = hits[j]! + (stream[p - 1 - j] === stream[p] ? weight : 0);
      }
      windows.forEach((window, w) => {
        const end = Math.min(window, size);
        byWindow[w]![n] = hits[end]! / totals[end]!;
      });
    });
    return byWindow;
  }
}

/** A cache's window and θ (absent: 0, the unigram cache). */
export interface CacheShape {
  window: number;
  theta?: number;
}

/**
 * P_cache of the targets at `positions` for one cache: a unigram cache needs the stream alone, a
 * continuous one (θ above 0) the hidden states too.
 */
export function cacheProbabilities(
  stream: Int32Array,
  positions: Int32Array,
  cache: CacheShape,
  hidden: HiddenStates | undefined,
): Float64Array {
  const theta = cache.theta ?? 0;
  if (theta === 0) return unigramCacheProbabilities(stream, positions, cache.window);
  if (!hidden) throw new Error('a continuous cache needs the hidden states of the stream');
  return new ContinuousCacheScorer(stream, positions, hidden, cache.window).probabilities(cache.window, theta);
}

/**
 * Calls `use(p, dots)` for each position p from 1 on, `dots[j]` = h_p · h_(p - 1 - j) for
 * j < min(window, p) (a view, valid during the call), block by block: the hidden states of positions
 * [a, a + BLOCK) times those of [a - window, a + BLOCK - 1), one native matrix product each, of which
 * each position reads its band.
 */
function forEachBand(
  hidden: HiddenStates,
  length: number,
  window: number,
  use: (p: number, dots: Float32Array) => void,
): void {
  const { values, width } = hidden;
  const dots = new Float32Array(window);
  for (let a = 1; a < length; a += BLOCK) {
    const rows = Math.min(BLOCK, length - a);
    const from = Math.max(0, a - window);
    const to = a + rows - 1; // keys [from, to): the last row needs keys up to a + rows - 2
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor2d(values.subarray(a * width, (a + rows) * width), [rows, width]),
        tf.tensor2d(values.subarray(from * width, to * width), [to - from, width]),
        false,
        true,
      ),
    );
    const band = product.dataSync() as Float32Array;
    product.dispose();
    const columns = to - from;
    for (let r = 0; r < rows; r++) {
      const p = a + r;
      for (let j = 0; j < Math.min(window, p); j++) dots[j] = band[r * columns + (p - 1 - j - from)]!;
      use(p, dots);
    }
  }
}

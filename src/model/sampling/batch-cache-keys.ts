/**
 * The continuous caches of a batch's streams (`CacheWindow`s with keys) as one tensor, so that each
 * step's dot products of every stream's query with its cache's keys are one native product,
 * [rows, 1, width] x [rows, width, window], instead of a pass over 256 keys of 260 values per stream in
 * JavaScript (about 60 us each). The keys are kept transposed, the query on the left: at batch 16,
 * window 256 and width 260 that product was about 3 x faster than [rows, window, width] x
 * [rows, width, 1] (one thread). It holds the keys the caches had when it was made: the keys of ids
 * a cache gets after that (the reply's tokens) it weighs itself (`CacheWindow.markKeys`).
 */
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import { tf } from '../lstm/tf.js';
import type { CacheWindow } from './cache-window.js';

export class BatchCacheKeys {
  /** [rows, width, window]. */
  #keys: Tensor3D;
  readonly #window: number;

  /** One row per cache, in the batch's order; every cache of the same window and key width. */
  constructor(caches: readonly CacheWindow[]) {
    const [first] = caches;
    if (!first || caches.some((cache) => cache.window !== first.window || cache.keyWidth !== first.keyWidth))
      throw new RangeError('a batch of caches needs one window and key width');
    const { window, keyWidth } = first;
    const values = new Float32Array(caches.length * window * keyWidth);
    caches.forEach((cache, row) => values.set(cache.keys(), row * window * keyWidth));
    this.#keys = tf.tidy(() => tf.transpose(tf.tensor3d(values, [caches.length, window, keyWidth]), [0, 2, 1]));
    this.#window = window;
  }

  /** Row r's dot products with its keys, at `r * window + place` (each cache's `keys()` order). */
  dots(queries: Tensor2D): Float32Array {
    const product = tf.tidy(() => tf.matMul(tf.expandDims(queries, 1), this.#keys));
    const values = product.dataSync() as Float32Array;
    product.dispose();
    return values;
  }

  /** The window of each row's dot products in `dots`. */
  get window(): number {
    return this.#window;
  }

  /** Keeps only the given rows (ascending), as the stepper's `keepRows`. */
  keepRows(rows: readonly number[]): void {
    if (rows.length === this.#keys.shape[0]) return;
    const kept = tf.tidy(() => tf.gather(this.#keys, tf.tensor1d(Int32Array.from(rows), 'int32')) as Tensor3D);
    this.#keys.dispose();
    this.#keys = kept;
  }

  dispose(): void {
    this.#keys.dispose();
  }
}

/**
 * A sample's cache: the last `window` ids it has read, as the sorted list of the distinct ids among them
 * with their shares and the shares' cumulative sums, so that the sampler draws from it by binary search
 * like from a follower list, and `mixInto` adds it to a row in one pass over the list, never over the
 * vocabulary. P_cache(w) = share(w) / `total`.
 *
 * - A unigram cache: an id's share is its count (as `unigramCacheProbabilities` scores it).
 * - A continuous cache (Grave et al. 2017, `continuous-cache.ts`): each id is kept with its key, the
 *   LSTM's top hidden state that predicted it (`keyWidth` values), and `weigh(query, θ)` makes an id's
 *   share the sum of exp(θ query · key) over its keys (as `ContinuousCacheScorer` scores it), until the
 *   next `push`. That is one pass over the window's keys per drawn token; the sampler makes most of
 *   those dot products in one native product for its whole batch (`BatchCacheKeys`, `weighDots`).
 *
 * Adding an id moves at most the list's entries (a few hundred), once in and once out of the window.
 */
export class CacheWindow {
  /** The ids kept, oldest first, as a ring of `window` entries. */
  readonly #ring: Int32Array;
  #next = 0;
  #total = 0;
  /** The distinct ids kept, ascending, their counts, and the counts' cumulative sums (`size + 1`). */
  readonly #words: Int32Array;
  readonly #counts: Float64Array;
  readonly #cumulative: Float64Array;
  #size = 0;
  #summed = true;
  /** A continuous cache's keys (`keyWidth` values per entry of the ring), its entries' θ q · k, and its shares per distinct id. */
  readonly #keys: Float32Array;
  readonly #dots: Float64Array;
  readonly #weights: Float64Array;
  /** Set by `weigh`, cleared by `push`: the weights' sum. */
  #weighted: { total: number } | undefined;
  /** Ids pushed since the cache began, and when `markKeys` was last called. */
  #pushes = 0;
  #marked = 0;

  constructor(
    readonly window: number,
    ids: Iterable<number> = [],
    /** Values per key of a continuous cache (0: a unigram cache, whose ids have no keys). */
    readonly keyWidth = 0,
  ) {
    if (!Number.isInteger(window) || window < 1)
      throw new RangeError(`a cache window is a positive integer, got ${window}`);
    this.#ring = new Int32Array(window);
    this.#words = new Int32Array(window);
    this.#counts = new Float64Array(window);
    this.#cumulative = new Float64Array(window + 1);
    this.#keys = new Float32Array(window * keyWidth);
    this.#dots = new Float64Array(keyWidth > 0 ? window : 0);
    this.#weights = new Float64Array(keyWidth > 0 ? window : 0);
    for (const id of ids) this.push(id);
  }

  /** The denominator of P_cache: ids kept (at most `window`), or their weights' sum after `weigh`. */
  get total(): number {
    return this.#weighted?.total ?? this.#total;
  }

  /**
   * Reads `id`: it joins the window, and the oldest id leaves a full one. A continuous cache needs its
   * `key` (the hidden state that predicted it; zeros for an id nothing predicted).
   */
  push(id: number, key?: Float32Array): void {
    if (this.keyWidth > 0) {
      if (key === undefined || key.length !== this.keyWidth)
        throw new RangeError(`a continuous cache needs a key of ${this.keyWidth} values for each id`);
      this.#keys.set(key, this.#next * this.keyWidth);
    }
    this.#weighted = undefined;
    this.#pushes++;
    if (this.#total === this.window) this.#remove(this.#ring[this.#next]!);
    else this.#total++;
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.window;
    const j = this.#find(id);
    if (j < this.#size && this.#words[j] === id) this.#counts[j]! += 1;
    else {
      this.#words.copyWithin(j + 1, j, this.#size);
      this.#counts.copyWithin(j + 1, j, this.#size);
      this.#words[j] = id;
      this.#counts[j] = 1;
      this.#size++;
    }
    this.#summed = false;
  }

  /**
   * A continuous cache's shares for the next draw: each kept id's exp(θ query · key), summed per distinct
   * id (scaled by the largest, which P_cache does not see); they hold until the next `push`.
   */
  weigh(query: Float32Array, theta: number): void {
    const width = this.keyWidth;
    if (width === 0 || query.length < width)
      throw new RangeError(`weigh needs a cache with keys and a query of ${width} values`);
    const dots = this.#dots;
    for (let i = 0; i < this.#total; i++) dots[i] = dot(query, this.#keys, i * width, width);
    this.weighDots(dots, theta);
  }

  /**
   * Marks the keys kept now as the ones whose dot products `weighDots` is given (`BatchCacheKeys` holds
   * them); those of the ids pushed after the mark it makes itself from the query.
   */
  markKeys(): void {
    this.#marked = this.#pushes;
  }

  /**
   * `weigh` from the dot products query · key made elsewhere (a batch's in one native product,
   * `BatchCacheKeys`): `dots[i]` is the key's at place i of `keys()`; places from `total` on are not read.
   * With `query`, the places of the ids pushed since `markKeys` take query · key instead (a pass over
   * those keys only): the reply's tokens, in a batch whose keys were made before them.
   */
  weighDots(dots: ArrayLike<number>, theta: number, query?: Float32Array): void {
    const width = this.keyWidth;
    if (width === 0) throw new RangeError('weighDots needs a cache with keys');
    if (query && query.length < width) throw new RangeError(`weighDots needs a query of ${width} values`);
    const entries = this.#total;
    const recent = query ? Math.min(this.#pushes - this.#marked, this.window) : 0;
    const made = this.#dots;
    for (let i = 0; i < entries; i++) {
      // How many pushes ago place i was written (0: the newest).
      const age = (this.#next - 1 - i + this.window) % this.window;
      made[i] = age < recent ? dot(query!, this.#keys, i * width, width) : dots[i]!;
    }
    let max = -Infinity;
    for (let i = 0; i < entries; i++) max = Math.max(max, theta * made[i]!);
    // Summed by id in a table indexed by id, then read out in the order of the distinct ids.
    let byId = weightsById;
    let total = 0;
    for (let i = 0; i < entries; i++) {
      const id = this.#ring[i]!;
      if (id >= byId.length) byId = growWeightsById(id);
      const weight = Math.exp(theta * made[i]! - max);
      byId[id]! += weight;
      total += weight;
    }
    const shares = this.#weights;
    for (let j = 0; j < this.#size; j++) {
      const id = this.#words[j]!;
      shares[j] = byId[id]!;
      byId[id] = 0;
    }
    this.#weighted = { total };
    this.#summed = false;
  }

  /** A continuous cache's keys, `keyWidth` values for each of its `window` places (those past `total` are zeros). */
  keys(): Float32Array {
    return this.#keys;
  }

  /** `id`'s share: how often it is among the ids kept, or its weight after `weigh`. */
  count(id: number): number {
    const j = this.#find(id);
    return j < this.#size && this.#words[j] === id ? this.#shares()[j]! : 0;
  }

  /** The distinct ids (ascending), their shares and cumulative shares: views, valid until the next `push` or `weigh`. */
  list(): { words: Int32Array; shares: Float64Array; cumulative: Float64Array } {
    const size = this.#size;
    const shares = this.#shares();
    if (!this.#summed) {
      for (let j = 0; j < size; j++) this.#cumulative[j + 1] = this.#cumulative[j]! + shares[j]!;
      this.#summed = true;
    }
    return {
      words: this.#words.subarray(0, size),
      shares: shares.subarray(0, size),
      cumulative: this.#cumulative.subarray(0, size + 1),
    };
  }

  /** The shares now: the counts, or the weights per distinct id after `weigh`. */
  #shares(): Float64Array {
    return this.#weighted ? this.#weights : this.#counts;
  }

  #remove(id: number): void {
    const j = this.#find(id);
    if (this.#counts[j]! > 1) {
      this.#counts[j]! -= 1;
      return;
    }
    this.#words.copyWithin(j, j + 1, this.#size);
    this.#counts.copyWithin(j, j + 1, this.#size);
    this.#size--;
  }

  /** The first entry whose id is not below `id` (`size` when none). */
  #find(id: number): number {
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#words[mid]! < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** `weighDots`' table of weights by id, all zeros between calls (grown to the largest id seen). */
let weightsById: Float64Array = new Float64Array(16_384);

function growWeightsById(id: number): Float64Array {
  const grown = new Float64Array(Math.max(2 * weightsById.length, id + 1));
  grown.set(weightsById);
  weightsById = grown;
  return grown;
}

/** query · keys[at .. at + width), four sums side by side (a third faster than one chain in V8). */
function dot(query: Float32Array, keys: Float32Array, at: number, width: number): number {
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let k = 0;
  for (; k + 3 < width; k += 4) {
    d0 += query[k]! * keys[at + k]!;
    d1 += query[k + 1]! * keys[at + k + 1]!;
    d2 += query[k + 2]! * keys[at + k + 2]!;
    d3 += query[k + 3]! * keys[at + k + 3]!;
  }
  for (; k < width; k++) d0 += query[k]! * keys[at + k]!;
  return d0 + d1 + d2 + d3;
}

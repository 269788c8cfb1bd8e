/**
 * A sample's unigram cache (Grave et al. 2017): the last `window` ids it has read, as the sorted list of
 * the distinct ids among them with their counts and the counts' cumulative sums, so that the sampler
 * draws from it by binary search like from a follower list, and `mixInto` adds it to a row in one pass
 * over the list, never over the vocabulary. P_cache(w) = count(w) / `total`, the share of w among the
 * ids kept (as `unigramCacheProbabilities` scores it). Adding an id moves at most the list's entries
 * (a few hundred), once in and once out of the window.
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

  constructor(
    readonly window: number,
    ids: Iterable<number> = [],
  ) {
    if (!Number.isInteger(window) || window < 1)
      throw new RangeError(`a cache window is a positive integer, got ${window}`);
    this.#ring = new Int32Array(window);
    this.#words = new Int32Array(window);
    this.#counts = new Float64Array(window);
    this.#cumulative = new Float64Array(window + 1);
    for (const id of ids) this.push(id);
  }

  /** Ids kept (at most `window`): the denominator of P_cache. */
  get total(): number {
    return this.#total;
  }

  /** Reads `id`: it joins the window, and the oldest id leaves a full one. */
  push(id: number): void {
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

  /** How often `id` is among the ids kept. */
  count(id: number): number {
    const j = this.#find(id);
    return j < this.#size && this.#words[j] === id ? this.#counts[j]! : 0;
  }

  /** The distinct ids (ascending), their counts and cumulative counts: views, valid until the next `push`. */
  list(): { words: Int32Array; shares: Float64Array; cumulative: Float64Array } {
    const size = this.#size;
    if (!this.#summed) {
      for (let j = 0; j < size; j++) this.#cumulative[j + 1] = this.#cumulative[j]! + this.#counts[j]!;
      this.#summed = true;
    }
    return {
      words: this.#words.subarray(0, size),
      shares: this.#counts.subarray(0, size),
      cumulative: this.#cumulative.subarray(0, size + 1),
    };
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

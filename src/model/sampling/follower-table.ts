/**
 * One level of a Kneser-Ney model in flat typed arrays, for sampling and scoring without its maps:
 * per context key (sorted, found by binary search), the words seen after it (ascending), their
 * discounted shares max(c - D, 0) / c(context .), the cumulative sums of those shares, and the weight
 * the context leaves to the next lower order, D N1+(context .) / c(context .). A few megabytes for a
 * channel's 100,000 trigrams, where the counting maps take tens.
 */

/** The words seen after one context: views into the table (`cumulative` has one more entry than `words`). */
export interface FollowerList {
  readonly words: Int32Array;
  readonly shares: Float64Array;
  readonly cumulative: Float64Array;
  readonly backoff: number;
}

export class FollowerTable {
  readonly #contexts: Float64Array;
  readonly #starts: Int32Array;
  readonly #backoffs: Float64Array;
  readonly #words: Int32Array;
  readonly #shares: Float64Array;
  readonly #cumulative: Float64Array;

  /** `lists`: per context key, its (word, share) pairs in any order and its back-off weight. */
  constructor(lists: ReadonlyMap<number, { words: number[]; shares: number[]; backoff: number }>) {
    const contexts = [...lists.keys()].sort((a, b) => a - b);
    let entries = 0;
    for (const list of lists.values()) entries += list.words.length;
    this.#contexts = Float64Array.from(contexts);
    this.#starts = new Int32Array(contexts.length + 1);
    this.#backoffs = new Float64Array(contexts.length);
    this.#words = new Int32Array(entries);
    this.#shares = new Float64Array(entries);
    this.#cumulative = new Float64Array(entries + contexts.length);
    let at = 0;
    contexts.forEach((context, i) => {
      const { words, shares, backoff } = lists.get(context)!;
      const order = words.map((_, j) => j).sort((a, b) => words[a]! - words[b]!);
      this.#starts[i] = at;
      this.#backoffs[i] = backoff;
      order.forEach((j, k) => {
        this.#words[at + k] = words[j]!;
        this.#shares[at + k] = shares[j]!;
        this.#cumulative[at + i + k + 1] = this.#cumulative[at + i + k]! + shares[j]!;
      });
      at += words.length;
    });
    this.#starts[contexts.length] = at;
  }

  get contexts(): number {
    return this.#contexts.length;
  }

  /** The list of `context`, or undefined when the context was never seen. */
  list(context: number): FollowerList | undefined {
    const contexts = this.#contexts;
    let low = 0;
    let high = contexts.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const key = contexts[mid]!;
      if (key === context) {
        const start = this.#starts[mid]!;
        const end = this.#starts[mid + 1]!;
        return {
          words: this.#words.subarray(start, end),
          shares: this.#shares.subarray(start, end),
          cumulative: this.#cumulative.subarray(start + mid, end + mid + 1),
          backoff: this.#backoffs[mid]!,
        };
      }
      if (key < context) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

/** Entry of `word` in a list's ascending words, or -1. */
export function followerIndex(words: Int32Array, word: number): number {
  let low = 0;
  let high = words.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (words[mid] === word) return mid;
    if (words[mid]! < word) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * The n-grams of the bot's recent replies in a channel, as a sampler reads them: after the last n - 1
 * ids of prompt and reply, the tokens that would write one of them again, each with how many times the
 * recent replies wrote it. The sampler makes those tokens less likely, so that replies do not keep
 * saying the same things. Built for each request (a few tenths of a millisecond for 100 replies).
 */
export class RecentReplyNgrams {
  /** Prefix (the n - 1 ids before a token, folded into one number) -> token -> how many times it followed. */
  readonly #followers = new Map<number, Map<number, number>>();

  constructor(
    /** 2 or 3 (a prefix of one or two ids, each below 2^21, folds exactly into one number). */
    readonly n: number,
    replies: Iterable<readonly number[]>,
  ) {
    if (n !== 2 && n !== 3) throw new RangeError(`n-gram size must be 2 or 3, got ${n}`);
    for (const ids of replies) {
      for (let end = n - 1; end < ids.length; end++) {
        const key = this.#key(ids, end);
        let next = this.#followers.get(key);
        if (!next) this.#followers.set(key, (next = new Map()));
        next.set(ids[end]!, (next.get(ids[end]!) ?? 0) + 1);
      }
    }
  }

  get size(): number {
    return this.#followers.size;
  }

  /** The tokens that would repeat a recent n-gram after `history` (its last n - 1 ids), with their counts. */
  after(history: readonly number[]): ReadonlyMap<number, number> | undefined {
    if (history.length < this.n - 1) return undefined;
    return this.#followers.get(this.#key(history, history.length));
  }

  /** The n - 1 ids before `end`, folded into one number. */
  #key(ids: readonly number[], end: number): number {
    let key = 0;
    for (let i = end - this.n + 1; i < end; i++) key = key * 2 ** 21 + ids[i]!;
    return key;
  }
}

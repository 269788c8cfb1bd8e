/**
 * The n-grams of the bot's recent replies in a channel, as a sampler reads them: after the last n - 1
 * ids of prompt and reply, the tokens that would write one of them again, each with how many of the
 * recent replies wrote it. The sampler makes those tokens less likely, so that replies do not keep
 * saying the same things.
 */
export class RecentReplyNgrams {
  /** Prefix (the n - 1 ids before a token, joined) -> token -> how many times it followed. */
  readonly #followers = new Map<string, Map<number, number>>();

  constructor(
    readonly n: number,
    replies: Iterable<readonly number[]>,
  ) {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`n-gram size must be >= 2, got ${n}`);
    for (const ids of replies) {
      for (let end = n - 1; end < ids.length; end++) {
        const key = ids.slice(end - n + 1, end).join(',');
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
    return this.#followers.get(history.slice(history.length - this.n + 1).join(','));
  }
}

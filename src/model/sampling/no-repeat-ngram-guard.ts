/**
 * Keeps a reply out of loops: remembers every n-gram the reply has produced and names the tokens
 * that would produce one of them again. `n` = 3 (the default of the generator) means no three
 * consecutive tokens ever appear twice in one reply; 0 turns the guard off. The last `n - 1` prompt
 * tokens count as context, so the reply's first n-grams may start inside the prompt; only n-grams
 * that end in a generated token are remembered.
 */
export class NoRepeatNgramGuard {
  private readonly history: number[];
  private readonly seen = new Map<string, number[]>();
  private static readonly none: readonly number[] = [];

  constructor(
    private readonly n: number,
    promptIds: readonly number[] = [],
  ) {
    if (!Number.isInteger(n) || n < 0 || n === 1) throw new RangeError(`n-gram size must be 0 (off) or >= 2, got ${n}`);
    this.history = n > 1 ? promptIds.slice(-(n - 1)) : [];
  }

  /** Tokens that must not come next (each would repeat an n-gram of this reply). */
  banned(): readonly number[] {
    if (this.n === 0 || this.history.length < this.n - 1) return NoRepeatNgramGuard.none;
    return this.seen.get(this.prefixKey()) ?? NoRepeatNgramGuard.none;
  }

  /** Records a generated token. */
  push(token: number): void {
    if (this.n === 0) return;
    if (this.history.length >= this.n - 1) {
      const key = this.prefixKey();
      const next = this.seen.get(key);
      if (next === undefined) this.seen.set(key, [token]);
      else if (!next.includes(token)) next.push(token);
    }
    this.history.push(token);
    if (this.history.length > this.n - 1) this.history.shift();
  }

  private prefixKey(): string {
    return this.history.join(',');
  }
}

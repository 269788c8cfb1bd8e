/**
 * The channel's token n-grams (6-grams by default), for the copy guard: the sampler refuses a next
 * token that would complete an n-gram found verbatim in one of the channel's messages.
 *
 * Stored compactly as pairs (hash of the n - 1 ids before, the n-th id), sorted: a 32-bit hash of the
 * prefix and the id that completed it, 8 bytes per distinct n-gram. One binary search on the prefix's
 * hash gives every token the guard refuses after it, so a step costs one search, not one per
 * candidate. A hash collision of two prefixes (chance about entries / 2^32 per step) can only refuse
 * a token that some other message continued its own prefix with; it never lets a copy through.
 * n-grams that hold `<pad>`, `<unk>` or `<eos>` are left out: the sampler never draws the first two,
 * and `<eos>` ends a message (a message's n-grams do not cross into the next).
 */
import { EOS_ID, PAD_ID, UNK_ID } from '../text/special-tokens.js';

const NONE: readonly number[] = [];

export class CopyNgramSet {
  private constructor(
    /** Tokens per n-gram (the refused token is the n-th). */
    readonly n: number,
    /** Prefix hashes, ascending (a prefix with several continuations appears once per continuation). */
    private readonly keys: Uint32Array,
    /** The n-th id of each entry, ascending within a key. */
    private readonly next: Uint32Array,
  ) {}

  /** The distinct n-grams of an id stream (messages separated by `<eos>`, as `encodeCorpus` writes them). */
  static fromIds(ids: ArrayLike<number>, n = 6): CopyNgramSet {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`n-gram size must be at least 2, got ${n}`);
    const packed: bigint[] = [];
    let run = 0; // ids in a row that may be part of an n-gram
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      run = id === EOS_ID || id === PAD_ID || id === UNK_ID ? 0 : run + 1;
      if (run < n) continue;
      packed.push((BigInt(hashIds(ids, i - n + 1, n - 1)) << 32n) | BigInt(id));
    }
    const sorted = BigUint64Array.from(packed).sort();
    let count = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i]!;
    const keys = new Uint32Array(count);
    const next = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      keys[i] = Number(sorted[i]! >> 32n);
      next[i] = Number(sorted[i]! & 0xffffffffn);
    }
    return new CopyNgramSet(n, keys, next);
  }

  /** The set back from `toBytes`' bytes (all the prefix hashes, then all the ids, little-endian uint32). */
  static fromBytes(bytes: Uint8Array, n: number): CopyNgramSet {
    if (bytes.byteLength % 8 !== 0) throw new Error('the copy guard file is not a list of uint32 pairs');
    const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const count = words.length / 2;
    const keys = words.subarray(0, count);
    for (let i = 1; i < count; i++) if (keys[i]! < keys[i - 1]!) throw new Error('the copy guard file is not sorted');
    return new CopyNgramSet(n, keys, words.subarray(count));
  }

  /** Distinct n-grams held. */
  get size(): number {
    return this.keys.length;
  }

  toBytes(): Uint8Array {
    const words = new Uint32Array(this.keys.length * 2);
    words.set(this.keys, 0);
    words.set(this.next, this.keys.length);
    return new Uint8Array(words.buffer);
  }

  /**
   * The ids that would complete a stored n-gram after `ids[end - n + 1 .. end)` (the last n - 1 ids
   * before `end`); none when fewer ids come before `end`.
   */
  refused(ids: ArrayLike<number>, end: number = ids.length): readonly number[] {
    const start = end - (this.n - 1);
    if (start < 0) return NONE;
    const key = hashIds(ids, start, this.n - 1);
    const first = this.#first(key);
    if (first < 0) return NONE;
    const out: number[] = [];
    for (let i = first; i < this.keys.length && this.keys[i] === key; i++) out.push(this.next[i]!);
    return out;
  }

  /** True when the n ids ending before `end` form a stored n-gram (up to a prefix hash collision). */
  has(ids: ArrayLike<number>, end: number = ids.length): boolean {
    if (end < this.n) return false;
    const key = hashIds(ids, end - this.n, this.n - 1);
    const last = ids[end - 1]!;
    const first = this.#first(key);
    if (first < 0) return false;
    for (let i = first; i < this.keys.length && this.keys[i] === key; i++) if (this.next[i] === last) return true;
    return false;
  }

  /** The first entry of `key`, or -1. */
  #first(key: number): number {
    const keys = this.keys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (keys[mid]! < key) low = mid + 1;
      else high = mid;
    }
    return low < keys.length && keys[low] === key ? low : -1;
  }
}

/** MurmurHash3 (x86, 32-bit) of `count` ids from `start`, each id one 32-bit block. */
export function hashIds(ids: ArrayLike<number>, start: number, count: number): number {
  let h = 0x9747b28c;
  for (let k = start; k < start + count; k++) {
    let x = Math.imul(ids[k]! | 0, 0xcc9e2d51);
    x = Math.imul((x << 15) | (x >>> 17), 0x1b873593);
    h ^= x;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= count * 4;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * An interpolated Kneser-Ney n-gram model (bigram or trigram) on token ids: the Markov-chain
 * baseline the LSTM is measured against (Chen and Goodman 1998, "interpolated Kneser-Ney" with one
 * discount per order, D = n1 / (n1 + 2 n2) from that order's counts of counts).
 *
 *   P3(w | u v) = max(c(u v w) - D3, 0) / c(u v .) + D3 N1+(u v .) / c(u v .) P2(w | v)
 *   P2(w | v)   = max(n(. v w) - D2, 0) / n(. v .) + D2 N1+(v .) / n(. v .) P1(w)
 *   P1(w)       = max(n(. w) - D1, 0) / n(. .) + D1 N1+(.) / n(. .) / V
 *
 * The highest order uses counts c, the lower orders continuation counts n (the number of distinct
 * words seen before); a context never seen gives its whole mass to the next lower order. The
 * distribution is over ids 1 .. V-1 (`<pad>`, id 0, is never a token) and sums to 1 over them for
 * every context. The stream is read as one text: each position's context is the ids before it, the
 * start padded with `<eos>` (a stream is messages each followed by `<eos>`).
 */
import { FollowerTable } from '../sampling/follower-table.js';
import { EOS_ID, PAD_ID } from '../text/special-tokens.js';

export type KneserNeyOrder = 2 | 3;

interface Level {
  /** Count of (context, word), keyed `context * V + word`. */
  readonly counts: Map<number, number>;
  /** Per context: sum of its counts and the number of distinct words after it. */
  readonly contextTotals: Map<number, number>;
  readonly contextTypes: Map<number, number>;
  discount: number;
}

function newLevel(): Level {
  return { counts: new Map(), contextTotals: new Map(), contextTypes: new Map(), discount: 0 };
}

function add(map: Map<number, number>, key: number, by = 1): number {
  const value = (map.get(key) ?? 0) + by;
  map.set(key, value);
  return value;
}

export class KneserNey {
  readonly order: KneserNeyOrder;
  readonly vocabSize: number;
  /** Levels by context length: 0 (unigram), 1 (bigram), 2 (trigram). */
  readonly #levels: Level[];

  /**
   * `stream`: the training ids (each message's ids, then `<eos>`); every id below `vocabSize`. Or the
   * highest order's counts as `topCounts` gives them (a model read back from a file).
   */
  constructor(stream: Int32Array | ReadonlyMap<number, number>, vocabSize: number, order: KneserNeyOrder = 3) {
    if (vocabSize < 2) throw new Error('a Kneser-Ney model needs at least 2 tokens in its vocabulary');
    this.order = order;
    this.vocabSize = vocabSize;
    this.#levels = Array.from({ length: order }, newLevel);
    const V = vocabSize;
    const top = this.#levels[order - 1]!;
    if (stream instanceof Int32Array) {
      for (let i = 0; i < stream.length; i++) {
        const w = stream[i]!;
        if (w <= PAD_ID || w >= V) throw new Error(`token id ${w} at ${i} is outside [1, ${V})`);
        add(top.counts, this.#context(stream, i) * V + w);
      }
    } else {
      for (const [key, count] of stream) {
        const w = key % V;
        if (w <= PAD_ID || !(count >= 1) || key >= V ** order)
          throw new Error(`n-gram ${key} (count ${count}) is invalid`);
        top.counts.set(key, count);
      }
    }
    for (const [key, count] of top.counts) {
      const context = Math.floor(key / V);
      add(top.contextTypes, context);
      add(top.contextTotals, context, count);
    }
    // Continuation counts: each distinct n-gram of order k+1 counts once for its suffix of order k.
    let distinct: Iterable<number> = top.counts.keys();
    for (let level = order - 2; level >= 0; level--) {
      const lower = this.#levels[level]!;
      const next = new Set<number>();
      const span = V ** (level + 1); // the lower-order key is the higher key modulo V^(level+1)
      for (const key of distinct) {
        const suffix = key % span;
        const context = Math.floor(suffix / V);
        if (add(lower.counts, suffix) === 1) {
          add(lower.contextTypes, context);
          next.add(suffix);
        }
        add(lower.contextTotals, context);
      }
      distinct = next;
    }
    for (const level of this.#levels) level.discount = discountOf(level.counts);
  }

  /** The highest order's counts, keyed `context * V + word` (the context's ids oldest first, base V). */
  get topCounts(): ReadonlyMap<number, number> {
    return this.#levels[this.order - 1]!.counts;
  }

  /** Level `level` (context length; 0 is the unigram) as a `FollowerTable`, for sampling. */
  followers(level: number): FollowerTable {
    const { counts, contextTotals, contextTypes, discount } = this.#levels[level]!;
    const V = this.vocabSize;
    const lists = new Map<number, { words: number[]; shares: number[]; backoff: number }>();
    for (const [context, types] of contextTypes) {
      lists.set(context, { words: [], shares: [], backoff: (discount * types) / contextTotals.get(context)! });
    }
    for (const [key, count] of counts) {
      const context = Math.floor(key / V);
      const list = lists.get(context)!;
      list.words.push(key % V);
      list.shares.push(Math.max(count - discount, 0) / contextTotals.get(context)!);
    }
    return new FollowerTable(lists);
  }

  /** Context key of position i: the previous `order - 1` ids, `<eos>` before the stream's start. */
  #context(stream: Int32Array, i: number): number {
    let context = 0;
    for (let back = this.order - 1; back >= 1; back--) {
      context = context * this.vocabSize + (i - back >= 0 ? stream[i - back]! : EOS_ID);
    }
    return context;
  }

  /** P(w | the ids before position i of `stream`), the start padded with `<eos>`. */
  probabilityAt(stream: Int32Array, i: number, w: number = stream[i]!): number {
    return this.probability(this.#context(stream, i), w);
  }

  /** P(w | context), the context key as `#context` builds it (previous ids, oldest first, base V). */
  probability(context: number, w: number): number {
    if (w <= PAD_ID || w >= this.vocabSize) return 0;
    return this.#probability(this.order - 1, context, w);
  }

  #probability(level: number, context: number, w: number): number {
    const V = this.vocabSize;
    if (level < 0) return 1 / (V - 1);
    const { counts, contextTotals, contextTypes, discount } = this.#levels[level]!;
    const lowerContext = level === 0 ? 0 : context % V ** (level - 1);
    const lower = this.#probability(level - 1, lowerContext, w);
    const total = contextTotals.get(context) ?? 0;
    if (total === 0) return lower;
    const count = counts.get(context * V + w) ?? 0;
    return (Math.max(count - discount, 0) + discount * contextTypes.get(context)! * lower) / total;
  }

  /** Mean -ln P over the positions of `stream` listed in `positions` (all but the first when not given). */
  crossEntropy(stream: Int32Array, positions?: Int32Array): { loss: number; tokens: number } {
    let sum = 0;
    let tokens = 0;
    const score = (i: number) => {
      sum -= Math.log(this.probabilityAt(stream, i));
      tokens++;
    };
    if (positions) for (const i of positions) score(i);
    else for (let i = 1; i < stream.length; i++) score(i);
    return { loss: sum / tokens, tokens };
  }
}

/** D = n1 / (n1 + 2 n2) from the counts of counts; 0.5 when there is too little data to estimate it. */
function discountOf(counts: Map<number, number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const count of counts.values()) {
    if (count === 1) n1++;
    else if (count === 2) n2++;
  }
  return n1 > 0 && n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
}

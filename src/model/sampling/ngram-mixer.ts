/**
 * Sampling from the mixture of the LSTM and the channel's Kneser-Ney n-gram,
 *
 *   P(w) = λ P_lstm(w) + (1 - λ) P_kn(w | the previous ids),
 *
 * with P_kn unrolled into parts:
 *
 *   a3(w | u v) + β3 (a2(w | v) + β2 P1(w))
 *
 * sparse follower lists a3, a2 (`FollowerTable`s, flat typed arrays), their back-off weights β and a
 * dense unigram vector P1, all precomputed from the model, which is not kept: a few megabytes, no
 * map lookup per word. `sampleFromMixture` draws from the parts; `mixInto` writes the mixture over the
 * LSTM's row (for greedy, top-k and top-p draws). The tokens the sampler never draws (`<pad>`,
 * `<unk>`) are taken out of the n-gram's share, as they are of the LSTM's row. A temperature applies to
 * the mixture as a whole (`sampleFromMixture`), from the LSTM's row at temperature 1.
 */
import { followerIndex, type FollowerList, type FollowerTable } from './follower-table.js';
import type { KneserNey } from '../evaluation/kneser-ney.js';
import { EOS_ID, PAD_ID, UNK_ID } from '../text/special-tokens.js';

export interface MixtureParts {
  lstm: number;
  lists: { list: FollowerList; scale: number }[];
  unigram: number;
}

export class NgramMixer {
  readonly vocabSize: number;
  readonly order: number;
  /** P1, and its cumulative sums (`unigramCdf[w]`: the mass of the ids below w). */
  readonly unigram: Float32Array;
  readonly unigramCdf: Float64Array;
  /** The largest entry of P1. */
  readonly unigramMax: number;
  /** Follower tables by context length 1 .. order - 1. */
  readonly #levels: FollowerTable[];

  constructor(
    kneserNey: KneserNey,
    /** λ, the LSTM's weight. */
    readonly lstmWeight: number,
    /** Ids never sampled: they hold no probability in the LSTM's row, and are taken out of the n-gram's. */
    readonly masked: readonly number[] = [PAD_ID, UNK_ID],
  ) {
    if (!(lstmWeight >= 0 && lstmWeight <= 1))
      throw new RangeError(`the LSTM's weight must be in [0, 1], got ${lstmWeight}`);
    const V = (this.vocabSize = kneserNey.vocabSize);
    this.order = kneserNey.order;
    const unigram = kneserNey.followers(0).list(0);
    this.unigram = new Float32Array(V);
    for (let w = 1; w < V; w++) this.unigram[w] = (unigram?.backoff ?? 1) / (V - 1);
    if (unigram) unigram.words.forEach((w, j) => (this.unigram[w]! += unigram.shares[j]!));
    this.unigramCdf = new Float64Array(V + 1);
    for (let w = 0; w < V; w++) this.unigramCdf[w + 1] = this.unigramCdf[w]! + this.unigram[w]!;
    this.unigramMax = this.unigram.reduce((max, p) => Math.max(max, p), 0);
    this.#levels = Array.from({ length: this.order - 1 }, (_, k) => kneserNey.followers(k + 1));
  }

  /** The ids that give the n-gram its context: the last `order - 1` of `ids`, `<eos>` before the start. */
  contextOf(ids: ArrayLike<number>, end: number = ids.length): number[] {
    const n = this.order - 1;
    return Array.from({ length: n }, (_, k) => (end - n + k >= 0 ? ids[end - n + k]! : EOS_ID));
  }

  /**
   * The mixture for one context as weighted parts: the LSTM's row (weight λ), each follower list
   * (weight (1 - λ) times the back-off weights above it) and the unigram vector (what is left),
   * before `<pad>` and `<unk>` are taken out.
   */
  parts(context: readonly number[]): MixtureParts {
    return this.#parts(context, 1 - this.lstmWeight);
  }

  #parts(context: readonly number[], ngramWeight: number): MixtureParts {
    const V = this.vocabSize;
    let key = 0;
    for (const id of context) key = key * V + id;
    let scale = ngramWeight;
    const lists: MixtureParts['lists'] = [];
    for (let level = context.length; level >= 1; level--) {
      const list = this.#levels[level - 1]!.list(key % V ** level);
      if (!list) continue;
      lists.push({ list, scale });
      scale *= list.backoff;
    }
    return { lstm: this.lstmWeight, lists, unigram: scale };
  }

  /** P_kn(w | context), the n-gram alone. */
  probability(context: readonly number[], w: number): number {
    if (w <= PAD_ID || w >= this.vocabSize) return 0;
    const { lists, unigram } = this.#parts(context, 1);
    let p = unigram * this.unigram[w]!;
    for (const { list, scale } of lists) {
      const j = followerIndex(list.words, w);
      if (j >= 0) p += scale * list.shares[j]!;
    }
    return p;
  }

  /** Mixes `probs[offset .. offset + V)` (the LSTM's row, summing to 1) in place; `context` from `contextOf`. */
  mixInto(probs: Float32Array, offset: number, context: readonly number[]): void {
    const V = this.vocabSize;
    const { lists, unigram: scale } = this.parts(context);
    let maskedMass = 0;
    for (const id of this.masked) maskedMass += this.probability(context, id);
    const norm = 1 / (1 - (1 - this.lstmWeight) * maskedMass);
    const lstm = this.lstmWeight * norm;
    const uni = scale * norm;
    const unigram = this.unigram;
    for (let w = 0; w < V; w++) probs[offset + w] = lstm * probs[offset + w]! + uni * unigram[w]!;
    for (const { list, scale: s } of lists) {
      for (let j = 0; j < list.words.length; j++) probs[offset + list.words[j]!]! += s * norm * list.shares[j]!;
    }
    for (const id of this.masked) probs[offset + id] = 0;
  }
}

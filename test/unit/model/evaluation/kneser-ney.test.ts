import { describe, expect, it } from 'vitest';
import { KneserNey } from '../../../../src/model/evaluation/kneser-ney.js';

// ids: 0 <pad>, 1 <unk>, 2 <eos>, 3 "a", 4 "b". Two messages: "a b", "a a".
const stream = Int32Array.from([3, 4, 2, 3, 3, 2]);
const V = 5;

function sumOver(model: KneserNey, context: number): number {
  let sum = 0;
  for (let w = 0; w < V; w++) sum += model.probability(context, w);
  return sum;
}

describe('KneserNey', () => {
  it('gives the interpolated Kneser-Ney bigram probabilities worked out by hand', () => {
    const bigram = new KneserNey(stream, V, 2);
    // Bigrams (start padded with <eos>): (2,3) x2, (3,4), (4,2), (3,3), (3,2): n1 = 4, n2 = 1, D2 = 2/3.
    // Continuation counts: n(.3) = 2, n(.4) = 1, n(.2) = 2 of 5 bigram types; n1 = 1, n2 = 2, D1 = 1/5.
    // P1(w) = max(n(.w) - 0.2, 0) / 5 + 0.2 * 3 / 5 / 4.
    expect(bigram.probability(0, 3)).toBeCloseTo(0.39, 12); // unigram level, reached from an unseen context
    expect(bigram.probability(1, 4)).toBeCloseTo(0.19, 12); // context <unk> never seen: P1
    expect(bigram.probability(1, 1)).toBeCloseTo(0.03, 12);
    // P2(b | a) = (1 - 2/3) / 3 + (2/3) * 3 / 3 * P1(b)
    expect(bigram.probability(3, 4)).toBeCloseTo(1 / 9 + (2 / 3) * 0.19, 12);
    // P2(a | <eos>) = (2 - 2/3) / 2 + (2/3) * 1 / 2 * P1(a)
    expect(bigram.probability(2, 3)).toBeCloseTo(4 / 6 + (1 / 3) * 0.39, 12);
  });

  it('never gives <pad> or an id outside the vocabulary any probability', () => {
    const trigram = new KneserNey(stream, V, 3);
    expect(trigram.probability(2 * V + 3, 0)).toBe(0);
    expect(trigram.probability(2 * V + 3, V)).toBe(0);
  });

  it('sums to 1 over the vocabulary in every context, seen or not, at both orders', () => {
    for (const order of [2, 3] as const) {
      const model = new KneserNey(stream, V, order);
      const contexts = order === 2 ? V : V * V;
      for (let context = 0; context < contexts; context++) expect(sumOver(model, context)).toBeCloseTo(1, 12);
    }
  });

  it('sums to 1 on a larger random stream too', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const big = 40;
    const ids = Int32Array.from({ length: 3000 }, () => 2 + Math.floor(random() ** 2 * (big - 2)));
    const model = new KneserNey(ids, big, 3);
    for (const context of [0, 2 * big + 2, 5 * big + 7, 39 * big + 39, ids[10]! * big + ids[11]!]) {
      let sum = 0;
      for (let w = 0; w < big; w++) sum += model.probability(context, w);
      expect(sum).toBeCloseTo(1, 10);
    }
  });

  it('reads a position’s context from the stream, <eos> before its start', () => {
    const trigram = new KneserNey(stream, V, 3);
    expect(trigram.probabilityAt(stream, 0)).toBe(trigram.probability(2 * V + 2, 3));
    expect(trigram.probabilityAt(stream, 4)).toBe(trigram.probability(2 * V + 3, 3));
  });

  it('predicts its training text better with a trigram than with a bigram', () => {
    const text = Int32Array.from([3, 4, 3, 2, 3, 4, 3, 2, 4, 4, 3, 2, 3, 4, 3, 2]);
    const bigram = new KneserNey(text, V, 2).crossEntropy(text);
    const trigram = new KneserNey(text, V, 3).crossEntropy(text);
    expect(trigram.tokens).toBe(text.length - 1);
    expect(trigram.loss).toBeLessThan(bigram.loss);
  });

  it('scores only the positions it is given', () => {
    const model = new KneserNey(stream, V, 3);
    const at = model.crossEntropy(stream, Int32Array.from([1, 4]));
    expect(at.tokens).toBe(2);
    expect(at.loss).toBeCloseTo(
      -(Math.log(model.probabilityAt(stream, 1)) + Math.log(model.probabilityAt(stream, 4))) / 2,
      12,
    );
  });

  it('refuses an id it has no room for', () => {
    expect(() => new KneserNey(Int32Array.from([3, 9]), V)).toThrow(/outside/);
  });
});

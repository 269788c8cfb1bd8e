import { describe, expect, it } from 'vitest';
import { cacheProbabilities, ContinuousCacheScorer } from '../../../../src/model/evaluation/continuous-cache.js';
import {
  CACHE_THETAS,
  fitLstmCacheWeights,
  fitMixtureWeights,
} from '../../../../src/model/evaluation/fit-mixture-weights.js';
import { unigramCacheProbabilities } from '../../../../src/model/evaluation/unigram-cache.js';
import { mulberry32 } from '../../../../src/model/lstm/mulberry32.js';

/** Hidden states of width 2 by position: `vectors[i]` predicted stream[i]. */
function states(vectors: number[][]) {
  return { values: Float32Array.from(vectors.flat()), width: 2 };
}

describe('ContinuousCacheScorer', () => {
  it('weighs each earlier token by exp(θ h_p · h_q), as computed by hand', () => {
    const stream = Int32Array.from([5, 6, 5, 7]);
    const hidden = states([
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 2],
    ]);
    const scorer = new ContinuousCacheScorer(stream, Int32Array.from([2, 3]), hidden, 3);
    // Position 3 (token 7, never seen before): 0. Position 2 (token 5): q = 0 (5, dot 0) and q = 1 (6, dot 0).
    expect([...scorer.probabilities(3, 1)]).toEqual([0.5, 0]);
    // Position 3 predicting 5 instead: q = 0 (dot 0), 1 (dot 0), 2 (dot 2): 5 at q = 0 and 2.
    const asFive = new ContinuousCacheScorer(Int32Array.from([5, 6, 5, 5]), Int32Array.from([3]), hidden, 3);
    const [p] = asFive.probabilities(3, 1.5);
    expect(p).toBeCloseTo((1 + Math.exp(3)) / (2 + Math.exp(3)), 12);
    // A window of 1 holds position 2 alone.
    expect(asFive.probabilities(1, 1.5)[0]).toBe(1);
  });

  it('is the unigram cache at θ = 0, at every position of a long stream', () => {
    const random = mulberry32(5);
    const stream = Int32Array.from({ length: 300 }, () => Math.floor(random() * 20));
    const hidden = { values: Float32Array.from({ length: 300 * 3 }, () => random() - 0.5), width: 3 };
    const positions = Int32Array.from({ length: 299 }, (_, i) => i + 1);
    const unigram = unigramCacheProbabilities(stream, positions, 40);
    const scorer = new ContinuousCacheScorer(stream, positions, hidden, 40);
    expect([...scorer.probabilities(40, 0)]).toEqual([...unigram]);
    expect([...cacheProbabilities(stream, positions, { window: 40 }, undefined)]).toEqual([...unigram]);
    // With θ above 0 the weights are a distribution over the window: each probability is in [0, 1].
    expect(scorer.probabilities(40, 2).every((q) => q >= 0 && q <= 1)).toBe(true);
  });

  it('gives several windows in one pass what each gives alone, across the blocks of its products', () => {
    const random = mulberry32(9);
    const length = 700;
    const stream = Int32Array.from({ length }, () => Math.floor(random() * 15));
    const hidden = { values: Float32Array.from({ length: length * 4 }, () => random() - 0.5), width: 4 };
    const positions = Int32Array.from({ length: length - 1 }, (_, i) => i + 1);
    const scorer = new ContinuousCacheScorer(stream, positions, hidden, 300);
    const [w5, w120, w300] = scorer.probabilitiesByWindow([5, 120, 300], 1.5);
    for (const [window, together] of [
      [5, w5!],
      [120, w120!],
      [300, w300!],
    ] as const) {
      const alone = new ContinuousCacheScorer(stream, positions, hidden, window).probabilities(window, 1.5);
      together.forEach((q, n) => expect(q).toBeCloseTo(alone[n]!, 9));
    }
    // By hand at one position past the first block: the window's tokens weighed by exp(1.5 h_p · h_q).
    const p = 600;
    const h = (i: number) => hidden.values.subarray(i * 4, i * 4 + 4);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, k) => sum + x * b[k]!, 0);
    let total = 0;
    let hits = 0;
    for (let q = p - 120; q < p; q++) {
      const weight = Math.exp(1.5 * dot(h(p), h(q)));
      total += weight;
      if (stream[q] === stream[p]) hits += weight;
    }
    expect(w120![p - 1]).toBeCloseTo(hits / total, 5);
  });

  it('refuses a continuous cache without hidden states, and a window past the one it measured', () => {
    const stream = Int32Array.from([1, 2, 1]);
    expect(() => cacheProbabilities(stream, Int32Array.from([2]), { window: 2, theta: 1 }, undefined)).toThrow(
      /hidden/,
    );
    const scorer = new ContinuousCacheScorer(
      stream,
      Int32Array.from([2]),
      states([
        [0, 0],
        [1, 1],
        [1, 1],
      ]),
      2,
    );
    expect(() => scorer.probabilities(3, 1)).toThrow(RangeError);
  });
});

/**
 * A stream whose next token is told by the hidden state: the tokens cycle 0 1 2 ... 9 at random
 * offsets with noise tokens between, and the state that predicts token k points along axis k. A
 * unigram cache holds the right token 1 time in 10; a continuous cache with θ > 0 finds it.
 */
function stateTellsToken() {
  const random = mulberry32(11);
  const tokens: number[] = [];
  const vectors: number[][] = [];
  for (let i = 0; i < 600; i++) {
    const token = random() < 0.7 ? i % 10 : 10 + Math.floor(random() * 200);
    tokens.push(token);
    vectors.push(Array.from({ length: 10 }, (_, axis) => (axis === token % 10 && token < 10 ? 2 : 0)));
  }
  const stream = Int32Array.from(tokens);
  const positions = Int32Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
  const flat = new Float64Array(positions.length).fill(0.01);
  return { stream, positions, lstm: flat, kn: flat, hidden: { values: Float32Array.from(vectors.flat()), width: 10 } };
}

describe('fitting a continuous cache', () => {
  it('picks θ above 0 when the hidden states tell the next token, and scores better than the unigram cache', () => {
    const validation = stateTellsToken();
    const continuous = fitLstmCacheWeights(validation);
    const unigram = fitLstmCacheWeights({ ...validation, hidden: undefined });
    expect(continuous.theta).toBeGreaterThan(0);
    expect(CACHE_THETAS).toContain(continuous.theta);
    expect(unigram.theta).toBe(0);
    expect(continuous.validationPerplexity).toBeLessThan(unigram.validationPerplexity * 0.7);
    const mixture = fitMixtureWeights(validation);
    expect(mixture.cache.theta).toBeGreaterThan(0);
    expect(mixture.cache.weights[2]).toBeGreaterThan(0);
  });

  it('leaves θ out of a unigram fit (what older cards hold)', () => {
    const { stream, positions, lstm, kn } = stateTellsToken();
    expect(fitMixtureWeights({ stream, positions, lstm, kn }).cache.theta).toBeUndefined();
  });
});

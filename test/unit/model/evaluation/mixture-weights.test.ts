import { describe, expect, it } from 'vitest';
import {
  bestThreeModelWeights,
  bestTwoModelWeight,
  mixtureCrossEntropy,
} from '../../../../src/model/evaluation/mixture-weights.js';
import { unigramCacheProbabilities } from '../../../../src/model/evaluation/unigram-cache.js';

describe('mixture of language models', () => {
  it('has the hand-computed perplexity on a tiny stream', () => {
    const lstm = Float64Array.from([0.5, 0.1, 0.2]);
    const kn = Float64Array.from([0.1, 0.3, 0.2]);
    // 0.25 * lstm + 0.75 * kn = 0.2, 0.25, 0.2 -> perplexity (0.2 * 0.25 * 0.2)^(-1/3) = 100^(1/3)
    expect(Math.exp(mixtureCrossEntropy([lstm, kn], [0.25, 0.75]))).toBeCloseTo(Math.cbrt(100), 12);
  });

  it('picks the weight that fits the targets best', () => {
    const good = Float64Array.from([0.9, 0.8, 0.9, 0.7]);
    const bad = Float64Array.from([0.01, 0.02, 0.01, 0.03]);
    expect(bestTwoModelWeight(good, bad)).toBe(1);
    expect(bestTwoModelWeight(bad, good)).toBe(0);
    // Each model right half the time: an even mixture.
    const a = Float64Array.from([0.9, 0.1, 0.9, 0.1]);
    const b = Float64Array.from([0.1, 0.9, 0.1, 0.9]);
    expect(bestTwoModelWeight(a, b)).toBeCloseTo(0.5, 10);
    const three = bestThreeModelWeights([a, b, Float64Array.from([0.01, 0.01, 0.01, 0.01])], [0, 0.1]);
    expect(three.weights[2]).toBe(0);
    expect(three.weights[0] + three.weights[1]).toBeCloseTo(1, 12);
  });
});

describe('unigramCacheProbabilities', () => {
  it('is the share of the target among the window of tokens before it', () => {
    const stream = Int32Array.from([4, 5, 4, 6, 4, 5]);
    const p = unigramCacheProbabilities(stream, Int32Array.from([1, 2, 3, 4, 5]), 3);
    // before 1: [4] -> P(5) = 0; before 2: [4 5] -> P(4) = 1/2; before 3: [4 5 4] -> P(6) = 0;
    // before 4: [5 4 6] -> P(4) = 1/3; before 5: [4 6 4] -> P(5) = 0
    expect(Array.from(p)).toEqual([0, 0.5, 0, 1 / 3, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { CACHE_WINDOWS, fitLstmCacheWeights } from '../../../../src/model/evaluation/fit-mixture-weights.js';

/** Validation targets of a stream, every position from 1 on scored, the LSTM giving each target `p`. */
function targets(stream: number[], p: number) {
  const positions = Int32Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
  return {
    stream: Int32Array.from(stream),
    positions,
    lstm: new Float64Array(positions.length).fill(p),
    kn: new Float64Array(positions.length).fill(p),
  };
}

describe('fitLstmCacheWeights (the LSTM with a cache and no n-gram)', () => {
  it('weighs the cache in where the stream repeats itself, and scores better than the LSTM alone', () => {
    // A phrase of 5 tokens over and over: every target after the first phrase is in a 50-token cache.
    const stream = Array.from({ length: 400 }, (_, i) => i % 5);
    const fit = fitLstmCacheWeights(targets(stream, 0.01));
    expect(fit.lstmWeight).toBeLessThan(0.5);
    expect(CACHE_WINDOWS).toContain(fit.window);
    expect(fit.validationPerplexity).toBeLessThan(20);
  });

  it('keeps the LSTM alone when the cache never holds the next token', () => {
    const stream = Array.from({ length: 400 }, (_, i) => i);
    const fit = fitLstmCacheWeights(targets(stream, 0.01));
    expect(fit.lstmWeight).toBe(1);
    expect(fit.validationPerplexity).toBeCloseTo(100, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { unigramCacheProbabilities } from '../../../../src/model/evaluation/unigram-cache.js';
import { mulberry32 } from '../../../../src/model/lstm/mulberry32.js';
import { CacheWindow } from '../../../../src/model/sampling/cache-window.js';

describe('CacheWindow', () => {
  it('keeps the last window ids as sorted distinct ids with counts and cumulative counts', () => {
    const cache = new CacheWindow(4, [7, 3, 7, 9]);
    expect(cache.total).toBe(4);
    expect(Array.from(cache.list().words)).toEqual([3, 7, 9]);
    expect(Array.from(cache.list().shares)).toEqual([1, 2, 1]);
    expect(Array.from(cache.list().cumulative)).toEqual([0, 1, 3, 4]);
    cache.push(1); // 7 3 7 9 1 -> 3 7 9 1
    cache.push(9); // -> 7 9 1 9
    expect(Array.from(cache.list().words)).toEqual([1, 7, 9]);
    expect(Array.from(cache.list().shares)).toEqual([1, 1, 2]);
    expect([cache.count(9), cache.count(3), cache.total]).toEqual([2, 0, 4]);
  });

  it('gives each id the share the scored cache gives it, at every point of a long stream', () => {
    const random = mulberry32(3);
    const stream = Int32Array.from({ length: 600 }, () => Math.floor(random() ** 2 * 40));
    const window = 50;
    const cache = new CacheWindow(window);
    const positions = Int32Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    const scored = unigramCacheProbabilities(stream, positions, window);
    positions.forEach((position, n) => {
      cache.push(stream[position - 1]!);
      expect(cache.count(stream[position]!) / cache.total).toBeCloseTo(scored[n]!, 12);
      const { shares, cumulative } = cache.list();
      expect(cumulative[shares.length]).toBe(cache.total);
    });
  });
});

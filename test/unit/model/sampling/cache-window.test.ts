import { describe, expect, it } from 'vitest';
import { unigramCacheProbabilities } from '../../../../src/model/evaluation/unigram-cache.js';
import { mulberry32 } from '../../../../src/model/lstm/mulberry32.js';
import { BatchCacheKeys } from '../../../../src/model/sampling/batch-cache-keys.js';
import { CacheWindow } from '../../../../src/model/sampling/cache-window.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { ContinuousCacheScorer } from '../../../../src/model/evaluation/continuous-cache.js';

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

describe('CacheWindow with keys (a continuous cache)', () => {
  it('gives each id the share the continuous cache is scored with, at every point of a long stream', () => {
    const random = mulberry32(4);
    const length = 400;
    const width = 3;
    const stream = Int32Array.from({ length }, () => Math.floor(random() ** 2 * 30));
    const values = Float32Array.from({ length: length * width }, () => random() * 2 - 1);
    const positions = Int32Array.from({ length: length - 1 }, (_, i) => i + 1);
    const window = 60;
    const theta = 1.5;
    const scored = new ContinuousCacheScorer(stream, positions, { values, width }, window).probabilities(window, theta);
    const cache = new CacheWindow(window, [], width);
    const key = (i: number) => values.subarray(i * width, (i + 1) * width);
    positions.forEach((position, n) => {
      cache.push(stream[position - 1]!, key(position - 1));
      cache.weigh(key(position), theta);
      expect(cache.count(stream[position]!) / cache.total).toBeCloseTo(scored[n]!, 6);
      const { shares, cumulative } = cache.list();
      expect(cumulative[shares.length]).toBeCloseTo(cache.total, 9);
    });
  });

  it('goes back to counts after a push, and refuses an id without its key', () => {
    const cache = new CacheWindow(3, [], 2);
    cache.push(4, Float32Array.from([1, 0]));
    cache.push(5, Float32Array.from([0, 1]));
    cache.weigh(Float32Array.from([3, 0]), 1);
    expect(cache.count(4) / cache.total).toBeCloseTo(Math.exp(3) / (Math.exp(3) + 1), 12);
    cache.push(4, Float32Array.from([0, 0]));
    expect([cache.count(4), cache.total]).toEqual([2, 3]);
    expect(() => cache.push(6)).toThrow(RangeError);
    expect(() => new CacheWindow(3).weigh(Float32Array.from([1]), 1)).toThrow(RangeError);
    expect(() => cache.weighDots([0, 0, 0], 1, Float32Array.from([1]))).toThrow(RangeError);
  });
});

describe('BatchCacheKeys (the caches of a batch weighed in one product)', () => {
  it('gives each row the dot products of its query with its keys, also after rows leave, and leaks nothing', () => {
    const random = mulberry32(12);
    const width = 5;
    const caches = [7, 3, 12].map((read) => {
      const cache = new CacheWindow(8, [], width);
      for (let i = 0; i < read; i++)
        cache.push(
          i % 4,
          Float32Array.from({ length: width }, () => random() - 0.5),
        );
      return cache;
    });
    const before = tf.memory().numTensors;
    const keys = new BatchCacheKeys(caches);
    const queries = Float32Array.from({ length: 3 * width }, () => random() - 0.5);
    const expectRows = (rows: number[]) => {
      const dots = tf.tidy(() =>
        keys.dots(tf.tensor2d(queries.subarray(0, rows.length * width), [rows.length, width])),
      );
      rows.forEach((cacheIndex, row) => {
        const query = queries.subarray(row * width, (row + 1) * width);
        const cache = caches[cacheIndex]!;
        for (let place = 0; place < Math.min(cache.total, 8); place++) {
          const key = cache.keys().subarray(place * width, (place + 1) * width);
          const dot = key.reduce((sum, k, j) => sum + k * query[j]!, 0);
          expect(dots[row * keys.window + place]).toBeCloseTo(dot, 5);
        }
        // Weighed from these dot products, the shares are those `weigh` makes itself.
        cache.weighDots(dots.subarray(row * keys.window, (row + 1) * keys.window), 2);
        const shares = [...cache.list().shares];
        cache.weigh(query, 2);
        [...cache.list().shares].forEach((share, j) => expect(share).toBeCloseTo(shares[j]!, 5));
      });
    };
    expectRows([0, 1, 2]);
    keys.keepRows([0, 2]);
    expectRows([0, 2]);
    keys.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new BatchCacheKeys([new CacheWindow(8, [], 5), new CacheWindow(4, [], 5)])).toThrow(RangeError);
  });

  it("weighs the ids pushed after the batch's keys were made from the query, past a full window too", () => {
    const random = mulberry32(13);
    const width = 4;
    const window = 6;
    const vector = () => Float32Array.from({ length: width }, () => random() - 0.5);
    // Caches that start empty, part full and full (each push then replaces the oldest id).
    const caches = [0, 3, 9].map((read) => {
      const cache = new CacheWindow(window, [], width);
      for (let i = 0; i < read; i++) cache.push(i % 5, vector());
      return cache;
    });
    const keys = new BatchCacheKeys(caches);
    for (const cache of caches) cache.markKeys();
    for (let step = 0; step < 2 * window + 1; step++) {
      const queries = caches.map(() => vector());
      const dots = tf.tidy(() => keys.dots(tf.tensor2d(Float32Array.from(queries.flatMap((q) => [...q])), [3, width])));
      caches.forEach((cache, row) => {
        if (cache.total === 0) return;
        cache.weighDots(dots.subarray(row * window, (row + 1) * window), 1.5, queries[row]);
        const shares = [...cache.list().shares];
        cache.weigh(queries[row]!, 1.5);
        [...cache.list().shares].forEach((share, j) => expect(shares[j]).toBeCloseTo(share, 5));
      });
      // Each drawn id joins its cache with the state that drew it as its key.
      caches.forEach((cache, row) => cache.push((step + row) % 7, queries[row]!));
    }
    keys.dispose();
  });
});

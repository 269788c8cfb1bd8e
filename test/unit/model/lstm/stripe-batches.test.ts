import { describe, expect, it } from 'vitest';
import { StripeBatches } from '../../../../src/model/lstm/stripe-batches.js';
import { scoredPositions } from '../../../../src/model/evaluation/scored-positions.js';

describe('StripeBatches', () => {
  const stream = Int32Array.from({ length: 100 }, (_, k) => k);

  it('lays out rows as parallel stripes, time-major, each batch continuing the last', () => {
    const batches = new StripeBatches(stream, 4, 5); // stripes of 25 tokens
    expect(batches.count).toBe(4);
    expect(batches.tokens).toBe(80);
    const first = batches.batch(0);
    const second = batches.batch(1);
    const row = (ids: Int32Array, r: number) => Array.from({ length: 5 }, (_, t) => ids[t * 4 + r]);
    expect(row(first.inputs, 0)).toEqual([0, 1, 2, 3, 4]);
    expect(row(first.inputs, 2)).toEqual([50, 51, 52, 53, 54]);
    expect(row(first.targets, 2)).toEqual([51, 52, 53, 54, 55]);
    expect(row(second.inputs, 2)).toEqual([55, 56, 57, 58, 59]);
  });

  it('has no tail when the whole batches reach the end of each stripe', () => {
    expect(new StripeBatches(stream.subarray(0, 84), 4, 5).tail()).toBeUndefined(); // stripes of 21: 4 x 5
  });

  it('shrinks rows and then sequence length to fit a short stream', () => {
    const fitted = StripeBatches.fit(stream.subarray(0, 20), 64, 32);
    expect(fitted.count).toBeGreaterThan(0);
    expect(fitted.batchSize * (fitted.seqLength + 1)).toBeLessThanOrEqual(20);
  });
});

describe('scoredPositions', () => {
  it('lists exactly the stream positions whose tokens the stripes predict, their tail included', () => {
    const stream = Int32Array.from({ length: 103 }, (_, k) => k);
    const batches = StripeBatches.fit(stream, 4, 5); // stripes of 25: 4 batches of 5, then a tail of 4
    const tail = batches.tail()!;
    expect(tail.seqLength).toBe(4);
    const targets: number[] = [];
    for (let k = 0; k < batches.count; k++) targets.push(...batches.batch(k).targets);
    targets.push(...tail.targets);
    const positions = scoredPositions(stream, 4, 5);
    expect(positions.length).toBe(4 * 24); // every token of a stripe but its first (before: 4 * 20)
    // The stream holds its own positions, so each target is the position it was read from.
    expect([...positions]).toEqual(targets.sort((a, b) => a - b));
  });
});

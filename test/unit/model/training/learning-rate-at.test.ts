import { describe, expect, it } from 'vitest';
import { learningRateAt, type LearningRateSchedule } from '../../../../src/model/training/learning-rate-at.js';

const at = (s: LearningRateSchedule, points: number[]) => points.map((p) => learningRateAt(p, s));

describe('learningRateAt', () => {
  it('without warm-up, falls from the rate to the floor along a cosine (the base training schedule)', () => {
    const s: LearningRateSchedule = {
      learningRate: 1,
      finalLearningRateFactor: 0.1,
      warmupFraction: 0,
      decay: 'cosine',
    };
    const [start, mid, end] = at(s, [0, 0.5, 1]);
    expect(start).toBeCloseTo(1, 10);
    expect(mid).toBeCloseTo(0.55, 10);
    expect(end).toBeCloseTo(0.1, 10);
  });

  it('slanted triangular: a short linear rise from the floor to the peak, then a long linear fall back', () => {
    const s: LearningRateSchedule = {
      learningRate: 0.01,
      finalLearningRateFactor: 1 / 32,
      warmupFraction: 0.1,
      decay: 'linear',
    };
    const [start, rising, peak, falling, end] = at(s, [0, 0.05, 0.1, 0.55, 1]);
    expect(start).toBeCloseTo(0.01 / 32, 10);
    expect(rising).toBeCloseTo((0.01 / 32 + 0.01) / 2, 10);
    expect(peak).toBeCloseTo(0.01, 10);
    expect(falling).toBeCloseTo((0.01 / 32 + 0.01) / 2, 10);
    expect(end).toBeCloseTo(0.01 / 32, 10);
    const curve = at(
      s,
      Array.from({ length: 101 }, (_, k) => k / 100),
    );
    for (let k = 1; k <= 10; k++) expect(curve[k]!).toBeGreaterThan(curve[k - 1]!);
    for (let k = 11; k <= 100; k++) expect(curve[k]!).toBeLessThan(curve[k - 1]!);
  });

  it('holds the floor outside [0, 1] and is constant with a floor of 1', () => {
    const s: LearningRateSchedule = {
      learningRate: 2,
      finalLearningRateFactor: 0.5,
      warmupFraction: 0.2,
      decay: 'linear',
    };
    expect(learningRateAt(-1, s)).toBe(1);
    expect(learningRateAt(3, s)).toBe(1);
    const flat: LearningRateSchedule = { ...s, finalLearningRateFactor: 1 };
    expect(new Set(at(flat, [0, 0.1, 0.5, 1]))).toEqual(new Set([2]));
  });
});

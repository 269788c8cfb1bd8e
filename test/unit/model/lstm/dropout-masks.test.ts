import { describe, expect, it } from 'vitest';
import { disposeDropoutMasks, dropoutMasks, maskPerStep } from '../../../../src/model/lstm/dropout-masks.js';
import { tf } from '../../../../src/model/lstm/tf.js';

const config = { vocabSize: 50, embeddingSize: 40, hiddenSize: 60, layers: 1 };

describe('dropoutMasks', () => {
  it('drops about the rate of units per row and scales the kept ones by 1 / (1 - rate)', () => {
    const masks = dropoutMasks(config, 200, { input: 0.25, output: 0.5 }, 7);
    expect(masks.input!.shape).toEqual([200, 40]);
    expect(masks.output!.shape).toEqual([200, 60]);
    const input = masks.input!.dataSync();
    const output = masks.output!.dataSync();
    expect(new Set(input)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    expect(new Set(output)).toEqual(new Set([0, 2]));
    const dropped = (values: ArrayLike<number>) => Array.from(values).filter((v) => v === 0).length / values.length;
    expect(dropped(input)).toBeCloseTo(0.25, 1);
    expect(dropped(output)).toBeCloseTo(0.5, 1);
    disposeDropoutMasks(masks);
  });

  it('makes no mask for a rate of 0, the same masks for the same seed, and refuses a rate of 1', () => {
    const before = tf.memory().numTensors;
    expect(dropoutMasks(config, 4, { input: 0, output: 0 }, 1)).toEqual({ input: undefined, output: undefined });
    const a = dropoutMasks(config, 4, { input: 0.3, output: 0 }, 3);
    const b = dropoutMasks(config, 4, { input: 0.3, output: 0 }, 3);
    const c = dropoutMasks(config, 4, { input: 0.3, output: 0 }, 4);
    expect(a.output).toBeUndefined();
    expect(a.input!.dataSync()).toEqual(b.input!.dataSync());
    expect(a.input!.dataSync()).not.toEqual(c.input!.dataSync());
    for (const m of [a, b, c]) disposeDropoutMasks(m);
    expect(() => dropoutMasks(config, 4, { input: 1, output: 0 }, 1)).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('repeats each row mask at every step of a time-major batch', () => {
    const mask = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const steps = maskPerStep(mask as never, 3);
    expect(steps.arraySync()).toEqual([
      [1, 0],
      [0, 2],
      [1, 0],
      [0, 2],
      [1, 0],
      [0, 2],
    ]);
    tf.dispose([mask, steps]);
  });
});

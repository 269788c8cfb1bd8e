import { describe, expect, it } from 'vitest';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, paramTensors } from '../../../../src/model/lstm/lstm-params.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { WeightAverage } from '../../../../src/model/training/weight-average.js';

describe('WeightAverage', () => {
  it.each([false, true])('is the element-wise mean of the weights added (tied %s), and leaks nothing', (tied) => {
    const config = { vocabSize: 13, embeddingSize: 4, hiddenSize: 5, layers: 2, tiedEmbedding: tied };
    const sets = [1, 2, 3].map((seed) => initParams(config, seed));
    const before = tf.memory().numTensors;
    const average = new WeightAverage(sets[0]!);
    average.add(sets[1]!);
    average.add(sets[2]!);
    expect(average.count).toBe(3);
    const mean = paramTensors(average.params).map(({ tensor }) => [...tensor.dataSync()]);
    const expected = sets.map((set) => paramTensors(set).map(({ tensor }) => [...tensor.dataSync()]));
    expect(mean.length).toBe(expected[0]!.length);
    mean.forEach((values, i) =>
      values.forEach((value, j) => {
        const want = (expected[0]![i]![j]! + expected[1]![i]![j]! + expected[2]![i]![j]!) / 3;
        expect(value).toBeCloseTo(want, 6);
      }),
    );
    expect(average.params.outputProjection === undefined).toBe(!tied);
    average.dispose();
    expect(tf.memory().numTensors).toBe(before);
    sets.forEach(disposeParams);
  });
});

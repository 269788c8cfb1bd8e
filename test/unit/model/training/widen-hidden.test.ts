import { describe, expect, it } from 'vitest';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import { targetProbabilities } from '../../../../src/model/evaluation/target-probabilities.js';
import { prepareCorpus } from '../../../../src/model/corpus/prepare-corpus.js';
import { trainModel } from '../../../../src/model/training/train-model.js';
import { widenHidden } from '../../../../src/model/training/widen-hidden.js';
import { tf } from '../../../../src/model/lstm/tf.js';

const FIXTURE = new URL('../../../fixtures/tiny-dialogue.txt', import.meta.url).pathname;
const stream = Int32Array.from({ length: 61 }, (_, k) => (k * 7 + (k % 5)) % 20);

/** The new units' rows of the output layer (projection or kernel): [widened - old, *]. */
function newOutputRows(params: LstmParams, old: number): number[][] {
  const output = params.outputProjection ?? params.outputKernel;
  return output.slice([old, 0], [-1, -1]).arraySync() as number[][];
}

describe('widenHidden', () => {
  for (const [layers, tiedEmbedding] of [
    [1, true],
    [2, true],
    [2, false],
  ] as const) {
    it(`computes what the narrower model computes (${layers} layer(s), ${tiedEmbedding ? 'tied' : 'untied'})`, () => {
      const narrow = initParams({ vocabSize: 20, embeddingSize: 5, hiddenSize: 6, layers, tiedEmbedding }, 3);
      const before = tf.memory().numTensors;
      const wide = widenHidden(narrow, 11, 9);
      expect(tf.memory().numTensors - before).toBe(3 + 2 * layers);
      expect(wide.config).toEqual({ ...narrow.config, hiddenSize: 11 });
      expect(wide.layers[0]!.kernel.shape).toEqual([5 + 11, 44]);
      if (layers === 2) expect(wide.layers[1]!.kernel.shape).toEqual([11 + 11, 44]);
      const options = { batchSize: 3, seqLength: 5 };
      const expected = targetProbabilities(narrow, stream, options);
      const actual = targetProbabilities(wide, stream, options);
      for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k]!, 6);
      // The new units are not dead: their own weights are fresh, only what leaves them is 0.
      const firstKernel = wide.layers[0]!.kernel.arraySync();
      const newColumn = firstKernel.map((row) => row[2 * 11 + 8]!);
      expect(newColumn.filter((w) => w !== 0).length).toBeGreaterThan(5);
      expect(
        newOutputRows(wide, 6)
          .flat()
          .every((w) => w === 0),
      ).toBe(true);
      disposeParams(wide);
      disposeParams(narrow);
    });
  }

  it('refuses to narrow, and keeps the same size as a copy', () => {
    const params = initParams({ vocabSize: 20, embeddingSize: 5, hiddenSize: 6, layers: 1 }, 3);
    expect(() => widenHidden(params, 5, 1)).toThrow(/--widen must be an integer of at least 6/);
    const same = widenHidden(params, 6, 1);
    expect(same.layers[0]!.kernel.arraySync()).toEqual(params.layers[0]!.kernel.arraySync());
    disposeParams(same);
    disposeParams(params);
  });

  it('lets training reach the new units: their output weights move off 0', async () => {
    const { ids, vocab } = await prepareCorpus(FIXTURE, { format: 'lines', vocabSize: 64 });
    const narrow = initParams(
      { vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 8, layers: 1, tiedEmbedding: true },
      1,
    );
    const wide = widenHidden(narrow, 12, 2);
    const result = await trainModel(wide, ids, { batchSize: 8, seqLength: 8, epochs: 1, learningRate: 0.01 });
    const moved = newOutputRows(result.params, 8)
      .flat()
      .filter((w) => Math.abs(w) > 1e-4);
    expect(moved.length).toBeGreaterThan(8);
    disposeParams(result.params);
    disposeParams(wide);
    disposeParams(narrow);
  });
});

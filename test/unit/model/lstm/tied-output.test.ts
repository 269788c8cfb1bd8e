import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { composedLstmGradients } from '../../../../src/model/lstm/composed-lstm-gradients.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeDropoutMasks, dropoutMasks } from '../../../../src/model/lstm/dropout-masks.js';
import { disposeGrads, lstmGradients } from '../../../../src/model/lstm/lstm-gradients.js';
import { disposeParams, paramTensors, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState } from '../../../../src/model/lstm/lstm-state.js';
import { nativeKernels } from '../../../../src/model/lstm/native-kernels.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { tieParams, tiedOutputKernel } from '../../../../src/model/lstm/tied-output.js';
import type { TrainBatch } from '../../../../src/model/lstm/train-batch.js';
import { growVocabulary } from '../../../../src/model/training/grow-vocabulary.js';

const V = 11;
const config = { vocabSize: V, embeddingSize: 5, hiddenSize: 7, layers: 1, tiedEmbedding: true };
const batch: TrainBatch = {
  batchSize: 3,
  seqLength: 4,
  inputs: Int32Array.from({ length: 12 }, (_, k) => (k * 7 + 3) % V),
  targets: Int32Array.from({ length: 12 }, (_, k) => (k * 5 + 1) % V),
};

function maxAbsDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('tied output layer', () => {
  it('has a projection P and no output kernel of its own, and stores P', () => {
    const params = initParams(config, 3);
    expect(params.outputProjection!.shape).toEqual([7, 5]);
    expect(params.outputKernel).toBeUndefined();
    const names = paramTensors(params).map(({ name }) => name);
    expect(names).toContain('output/projection');
    expect(names).not.toContain('output/kernel');
    disposeParams(params);
  });

  it.runIf(nativeKernels)(
    'computes (h P) E^T: the fused gradients equal tf.grads of the tied loss (2 layers, dropout)',
    () => {
      const params = initParams({ ...config, layers: 2 }, 4);
      const state = zeroLstmState(params.config, batch.batchSize);
      const masks = dropoutMasks(params.config, batch.batchSize, { input: 0.4, output: 0.3 }, 11);
      const fast = lstmGradients(params, batch, state, masks);
      const slow = composedLstmGradients(params, batch, state, masks);
      expect(fast.grads.outputKernel).toBeUndefined();
      expect(slow.grads.outputKernel).toBeUndefined();
      expect(fast.loss.dataSync()[0]).toBeCloseTo(slow.loss.dataSync()[0]!, 5);
      for (const key of ['embedding', 'outputProjection', 'outputBias'] as const) {
        const a = fast.grads[key]!;
        const b = slow.grads[key]!;
        expect(a.shape).toEqual(b.shape);
        expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
        expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]!)).toBeGreaterThan(0);
      }
      for (let l = 0; l < 2; l++)
        expect(maxAbsDiff(fast.grads.layers[l]!.kernel, slow.grads.layers[l]!.kernel)).toBeLessThan(1e-4);
      for (const r of [fast, slow]) {
        disposeGrads(r.grads);
        r.loss.dispose();
        disposeLstmState(r.state);
      }
      disposeDropoutMasks(masks);
      disposeLstmState(state);
      disposeParams(params);
    },
  );

  it.runIf(nativeKernels)(
    'is the untied model with kernel P E^T: same loss, dP = dW E and dE = its own + dW^T P',
    () => {
      const tied = initParams(config, 7);
      const { outputProjection: P, ...rest } = tied;
      const materialised: LstmParams = {
        ...rest,
        config: { ...config, tiedEmbedding: false },
        outputKernel: tiedOutputKernel(P!, tied.embedding),
      };
      const state = zeroLstmState(tied.config, batch.batchSize);
      const [factored, plain] = [tied, materialised].map((params) => lstmGradients(params, batch, state));
      expect(factored!.loss.dataSync()[0]).toBeCloseTo(plain!.loss.dataSync()[0]!, 5);
      const dW = plain!.grads.outputKernel!;
      const [dP, dE] = tf.tidy(() => [
        tf.matMul(dW, tied.embedding),
        tf.add(plain!.grads.embedding, tf.matMul(dW, P!, true, false)),
      ]);
      expect(maxAbsDiff(factored!.grads.outputProjection!, dP!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(factored!.grads.embedding, dE!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(factored!.grads.outputBias, plain!.grads.outputBias)).toBeLessThan(1e-6);
      expect(maxAbsDiff(factored!.grads.layers[0]!.kernel, plain!.grads.layers[0]!.kernel)).toBeLessThan(1e-5);
      for (const r of [factored!, plain!]) {
        disposeGrads(r.grads);
        r.loss.dispose();
        disposeLstmState(r.state);
      }
      for (const t of [dP!, dE!, materialised.outputKernel!]) t.dispose();
      disposeLstmState(state);
      disposeParams(tied);
    },
  );

  it('grows the vocabulary with the new words tied to the <unk> row, in the embedding and so in the output', () => {
    const params = initParams(config, 5);
    const before = tf.memory().numTensors;
    const grown = growVocabulary(params, 3);
    expect(grown.config.vocabSize).toBe(V + 3);
    expect(grown.outputKernel).toBeUndefined();
    expect(maxAbsDiff(grown.outputProjection!, params.outputProjection!)).toBe(0);
    const unkRow = grown.embedding.slice([1, 0], [1, -1]);
    const newRow = grown.embedding.slice([V + 2, 0], [1, -1]);
    expect(maxAbsDiff(unkRow, newRow)).toBe(0);
    for (const t of [unkRow, newRow]) t.dispose();
    disposeParams(grown);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });

  it('ties an untied model: the projection that best fits its kernel, the rest kept', () => {
    const untied = initParams({ ...config, tiedEmbedding: false }, 6);
    // A kernel that is exactly some P E^T: the fit finds it.
    const target = tf.randomNormal([7, 5], 0, 1, 'float32', 9);
    const exact = { ...untied, outputKernel: tiedOutputKernel(target as never, untied.embedding) } as LstmParams;
    const tied = tieParams(exact);
    expect(tied.config.tiedEmbedding).toBe(true);
    expect(maxAbsDiff(tied.outputProjection!, target)).toBeLessThan(1e-3);
    expect(maxAbsDiff(tied.embedding, untied.embedding)).toBe(0);
    expect(maxAbsDiff(tied.layers[0]!.kernel, untied.layers[0]!.kernel)).toBe(0);
    expect(() => tieParams(tied)).toThrow(/tied already/);
    disposeParams(tied);
    exact.outputKernel!.dispose();
    target.dispose();
    disposeParams(untied);
  });
});

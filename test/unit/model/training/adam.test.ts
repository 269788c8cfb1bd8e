import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { Adam } from '../../../../src/model/training/adam.js';
import { cloneParams } from '../../../../src/model/lstm/clone-params.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import type { LstmGrads } from '../../../../src/model/lstm/lstm-gradients.js';
import { disposeParams, paramTensors, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import { nativeKernels } from '../../../../src/model/lstm/native-kernels.js';
import { tf } from '../../../../src/model/lstm/tf.js';

const config = { vocabSize: 13, embeddingSize: 4, hiddenSize: 5, layers: 2 };

/** Gradients shaped like the params, seeded, scaled so their global norm is about `size`. */
function grads(params: LstmParams, seed: number, size: number): LstmGrads {
  const like = (t: Tensor, k: number) =>
    tf.tidy(() => tf.mul(tf.randomNormal(t.shape, 0, 1, 'float32', seed * 31 + k), size / 10)) as never;
  return {
    embedding: like(params.embedding, 1),
    layers: params.layers.map((layer, l) => ({ kernel: like(layer.kernel, 10 + l), bias: like(layer.bias, 20 + l) })),
    outputKernel: like(params.outputKernel!, 2),
    outputBias: like(params.outputBias, 3),
  };
}

function disposeGrads(g: LstmGrads): void {
  for (const t of [g.embedding, g.outputKernel!, g.outputBias, ...g.layers.flatMap((l) => [l.kernel, l.bias])])
    t.dispose();
}

function values(params: LstmParams): Float32Array[] {
  return paramTensors(params).map(({ tensor }) => tensor.dataSync() as Float32Array);
}

function run(composed: boolean, sizes: number[]): { values: Float32Array[]; norms: number[] } {
  const params = initParams(config, 4);
  const adam = new Adam({ clipNorm: 5, composed });
  const norms = sizes.map((size, step) => {
    const g = grads(params, step, size);
    const norm = adam.apply(params, g, 0.01);
    disposeGrads(g);
    return norm;
  });
  const result = values(params);
  adam.dispose();
  disposeParams(params);
  return { values: result, norms };
}

describe('Adam', () => {
  it("refuses a tied model's untied gradients before it changes any weight", () => {
    const params = initParams({ ...config, tiedEmbedding: true }, 2);
    const before = values(params);
    const shapes = initParams(config, 2);
    const untied = grads(shapes, 3, 1);
    const adam = new Adam();
    expect(() => adam.apply(params, untied)).toThrow(/no weight for the gradient outputKernel/);
    expect(values(params)).toEqual(before);
    disposeGrads(untied);
    adam.dispose();
    disposeParams(shapes);
    disposeParams(params);
  });

  it('moves every weight against its gradient on the first step, by about the learning rate', () => {
    const params = initParams(config, 4);
    const before = values(params);
    const adam = new Adam({ clipNorm: 0 });
    const g = grads(params, 1, 1);
    const signs = paramTensors({ ...params, ...g, config } as LstmParams).map(({ tensor }) => tensor.dataSync());
    adam.apply(params, g, 0.01);
    const after = values(params);
    after.forEach((row, k) => {
      row.forEach((value, i) => {
        const step = value - before[k]![i]!;
        expect(Math.sign(step)).toBe(-Math.sign(signs[k]![i]!));
        expect(Math.abs(step)).toBeCloseTo(0.01, 3);
      });
    });
    disposeGrads(g);
    adam.dispose();
    disposeParams(params);
  });

  describe.runIf(nativeKernels)('fused ResourceApplyAdam (native backend)', () => {
    it('gives the same weights as the composed update, with and without clipping (max abs diff < 1e-6)', () => {
      const sizes = [1, 40, 2, 100, 0.5];
      const fused = run(false, sizes);
      const composed = run(true, sizes);
      expect(fused.norms.map((n) => n > 5)).toEqual([false, true, false, true, false]);
      fused.norms.forEach((n, k) => expect(n).toBeCloseTo(composed.norms[k]!, 4));
      fused.values.forEach((row, k) => {
        let diff = 0;
        row.forEach((value, i) => (diff = Math.max(diff, Math.abs(value - composed.values[k]![i]!))));
        expect(diff).toBeLessThan(1e-6);
      });
    });

    it('never changes a copy of the weights taken between two steps (TensorFlow copies the variable first)', () => {
      const params = initParams(config, 4);
      const adam = new Adam({ clipNorm: 5 });
      const first = grads(params, 1, 1);
      adam.apply(params, first, 0.01);
      const kept = cloneParams(params);
      const before = values(kept);
      const second = grads(params, 2, 1);
      adam.apply(params, second, 0.01);
      expect(values(kept)).toEqual(before);
      expect(values(params)[0]).not.toEqual(before[0]);
      for (const g of [first, second]) disposeGrads(g);
      disposeParams(kept);
      adam.dispose();
      disposeParams(params);
    });

    it('leaves no tensors behind and keeps the caller free to dispose its first weights', () => {
      const before = tf.memory().numTensors;
      run(false, [1, 50, 1]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

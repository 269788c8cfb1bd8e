import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs';
import { composedLstmGradients } from '../../../../src/model/lstm/composed-lstm-gradients.js';
import { disposeDropoutMasks, dropoutMasks } from '../../../../src/model/lstm/dropout-masks.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { lstmGradients, type LossAndGrads } from '../../../../src/model/lstm/lstm-gradients.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { disposeLstmState, type LstmState } from '../../../../src/model/lstm/lstm-state.js';
import { nativeKernels } from '../../../../src/model/lstm/native-kernels.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import type { TrainBatch } from '../../../../src/model/lstm/train-batch.js';

const V = 11;
const batch: TrainBatch = {
  batchSize: 3,
  seqLength: 4,
  inputs: Int32Array.from({ length: 12 }, (_, k) => (k * 7 + 3) % V),
  targets: Int32Array.from({ length: 12 }, (_, k) => (k * 5 + 1) % V),
};

function flat(r: LossAndGrads): Tensor[] {
  const g = r.grads;
  return [g.embedding, ...g.layers.flatMap((l) => [l.kernel, l.bias]), g.outputKernel!, g.outputBias];
}

function randomState(layers: number): LstmState {
  const make = (seed: number) =>
    Array.from({ length: layers }, (_, l) => tf.randomUniform([3, 7], -0.5, 0.5, 'float32', seed + l) as never);
  return { c: make(10), h: make(20) };
}

describe.runIf(nativeKernels)('lstmGradients (native fused kernels)', () => {
  for (const layers of [1, 2]) {
    it(`matches tf.grads of the composed-ops loss with ${layers} layer(s) (max abs diff < 1e-4)`, () => {
      const params = initParams({ vocabSize: V, embeddingSize: 5, hiddenSize: 7, layers }, 3);
      const state = randomState(layers);
      const fast = lstmGradients(params, batch, state);
      const slow = composedLstmGradients(params, batch, state);
      expect(fast.loss.dataSync()[0]).toBeCloseTo(slow.loss.dataSync()[0]!, 5);
      const a = flat(fast);
      const b = flat(slow);
      expect(a.map((t) => t.shape)).toEqual(b.map((t) => t.shape));
      for (let k = 0; k < a.length; k++) {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a[k]!, b[k]!))).dataSync()[0]!);
        expect(diff).toBeLessThan(1e-4);
        expect(tf.tidy(() => tf.max(tf.abs(a[k]!)).dataSync()[0]!)).toBeGreaterThan(0);
      }
      for (let l = 0; l < layers; l++) {
        for (const key of ['c', 'h'] as const) {
          const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fast.state[key][l]!, slow.state[key][l]!))).dataSync()[0]!);
          expect(diff).toBeLessThan(1e-5);
        }
      }
      for (const t of [...a, ...b, fast.loss, slow.loss]) t.dispose();
      disposeLstmState(fast.state);
      disposeLstmState(slow.state);
      disposeLstmState(state);
      disposeParams(params);
    });
  }

  it('matches tf.grads with dropout on the inputs and the outputs, and a mask of ones changes nothing', () => {
    const config = { vocabSize: V, embeddingSize: 5, hiddenSize: 7, layers: 2 };
    const params = initParams(config, 5);
    const state = randomState(2);
    const masks = dropoutMasks(config, 3, { input: 0.4, output: 0.3 }, 11);
    const fast = lstmGradients(params, batch, state, masks);
    const slow = composedLstmGradients(params, batch, state, masks);
    const plain = lstmGradients(params, batch, state);
    const ones = { input: tf.ones([3, 5]) as never, output: tf.ones([3, 7]) as never };
    const unmasked = lstmGradients(params, batch, state, ones);
    expect(fast.loss.dataSync()[0]).toBeCloseTo(slow.loss.dataSync()[0]!, 5);
    expect(Math.abs(fast.loss.dataSync()[0]! - plain.loss.dataSync()[0]!)).toBeGreaterThan(1e-4);
    expect(unmasked.loss.dataSync()[0]).toBeCloseTo(plain.loss.dataSync()[0]!, 6);
    const [a, b, c, d] = [fast, slow, plain, unmasked].map(flat);
    for (let k = 0; k < a!.length; k++) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a![k]!, b![k]!))).dataSync()[0]!);
      expect(diff).toBeLessThan(1e-4);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(c![k]!, d![k]!))).dataSync()[0]!)).toBeLessThan(1e-6);
    }
    for (const r of [fast, slow, plain, unmasked]) {
      for (const t of [...flat(r), r.loss]) t.dispose();
      disposeLstmState(r.state);
    }
    disposeDropoutMasks(masks);
    disposeDropoutMasks(ones);
    disposeLstmState(state);
    disposeParams(params);
  });

  it('leaves no tensors behind once the caller disposes what it was given', () => {
    const params = initParams({ vocabSize: V, embeddingSize: 5, hiddenSize: 7, layers: 2 }, 3);
    const state = randomState(2);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      const r = lstmGradients(params, batch, state);
      for (const t of [...flat(r), r.loss]) t.dispose();
      disposeLstmState(r.state);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeLstmState(state);
    disposeParams(params);
  });
});

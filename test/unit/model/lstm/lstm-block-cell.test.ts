import { describe, expect, it } from 'vitest';
import type { Tensor2D, Tensor1D } from '@tensorflow/tfjs';
import { tf, tfLoad } from '../../../../src/model/lstm/tf.js';
import { fusedLstmAvailable, lstmStep } from '../../../../src/model/lstm/lstm-block-cell.js';

describe('TensorFlow backend', () => {
  it('is native TensorFlow when the environment requires it (CI)', () => {
    if (process.env.LSTM_BOT_REQUIRE_NATIVE_TF === '1') {
      expect(tfLoad.backend).toBe('tensorflow');
      expect(fusedLstmAvailable).toBe(true);
    } else {
      expect(['tensorflow', 'cpu']).toContain(tfLoad.backend);
    }
  });
});

describe('lstmStep', () => {
  it('matches a hand-written LSTM step (gate order i, ci, f, o) and leaks no tensor', () => {
    const batch = 3;
    const input = 5;
    const hidden = 4;
    const x = tf.randomNormal([batch, input], 0, 1, 'float32', 1) as Tensor2D;
    const c = tf.randomNormal([batch, hidden], 0, 1, 'float32', 2) as Tensor2D;
    const h = tf.randomNormal([batch, hidden], 0, 1, 'float32', 3) as Tensor2D;
    const kernel = tf.randomNormal([input + hidden, 4 * hidden], 0, 0.5, 'float32', 4) as Tensor2D;
    const bias = tf.randomNormal([4 * hidden], 0, 0.5, 'float32', 5) as Tensor1D;
    // The first step of a hidden size caches its zero peephole weights for good.
    const warmUp = lstmStep(x, c, h, { kernel, bias });
    tf.dispose([warmUp.c, warmUp.h, ...warmUp.outputs]);
    const before = tf.memory().numTensors;

    const step = lstmStep(x, c, h, { kernel, bias });
    const [expectedC, expectedH] = tf.tidy(() => {
      const gates = tf.add(tf.matMul(tf.concat([x, h], 1), kernel), bias);
      const [i, ci, f, o] = tf.split(gates, 4, 1) as Tensor2D[];
      const newC = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(ci!)));
      return [newC, tf.mul(tf.sigmoid(o!), tf.tanh(newC))];
    });

    expect(step.c.shape).toEqual([batch, hidden]);
    expect(step.h.shape).toEqual([batch, hidden]);
    const cDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(step.c, expectedC!))).dataSync()[0]!);
    const hDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(step.h, expectedH!))).dataSync()[0]!);
    expect(cDiff).toBeLessThan(1e-5);
    expect(hDiff).toBeLessThan(1e-5);

    tf.dispose([step.c, step.h, ...step.outputs, expectedC!, expectedH!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, c, h, kernel, bias]);
  });
});

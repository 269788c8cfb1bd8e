import { describe, expect, it } from 'vitest';
import type { Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../../../../src/model/lstm/tf.js';
import { nativeKernels } from '../../../../src/model/lstm/native-kernels.js';

describe.runIf(nativeKernels)('NativeKernels.softmax (oneDNN where TensorFlow has it)', () => {
  it("is oneDNN's kernel on this TensorFlow (the build CI installs), unless TF_ENABLE_ONEDNN_OPTS=0", () => {
    const expected = process.env.TF_ENABLE_ONEDNN_OPTS === '0' ? 'tensorflow' : 'onednn';
    expect({ kernel: nativeKernels!.softmaxKernel, error: nativeKernels!.onednnSoftmaxError }).toEqual({
      kernel: expected,
      error: undefined,
    });
  });

  it("gives TensorFlow's Softmax to 1e-6 relative, 0 for never-sampled logits, and leaks no tensor", () => {
    const kernels = nativeKernels!;
    const [rows, vocab] = [37, 5003];
    const logits = tf.tidy(() => {
      const random = tf.mul(tf.randomNormal([rows, vocab], 0, 1, 'float32', 7), 4);
      // Never-sampled ids sit at -1e30 in the stepper's bias: their probability must be exactly 0.
      const never = tf.concat([tf.fill([rows, 2], -1e30), tf.zeros([rows, vocab - 2])], 1);
      return tf.add(random, never) as Tensor2D;
    });
    const before = tf.memory().numTensors;
    const probs = tf.tidy(() => kernels.softmax(logits));
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = tf.softmax(logits);
    const [got, want] = [probs.dataSync() as Float32Array, expected.dataSync() as Float32Array];
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (want[i]! + 1e-30));
    expect(worst).toBeLessThan(1e-5);
    for (let row = 0; row < rows; row++) {
      expect([got[row * vocab], got[row * vocab + 1]]).toEqual([0, 0]);
      const sum = got.subarray(row * vocab, (row + 1) * vocab).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
    }
    tf.dispose([logits, probs, expected]);
  });
});

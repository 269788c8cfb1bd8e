import { describe, expect, it } from 'vitest';
import { tf } from '../../../../src/model/lstm/tf.js';

describe('loading the native kernels', () => {
  it('leaves no tensor behind (the softmax probe disposes its own)', async () => {
    const before = tf.memory().numTensors;
    const { nativeKernels } = await import('../../../../src/model/lstm/native-kernels.js');
    expect(nativeKernels === undefined || ['onednn', 'tensorflow'].includes(nativeKernels.softmaxKernel)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The output layer's softmax on the native backend, shared by training and evaluation:
 *
 *   P = softmax([h, 1] [W; b])
 *
 * with the bias as an extra kernel row (one `MatMul`, no pass of its own over [rows, vocab]) and the
 * logits freed as soon as P exists (one [rows, vocab] tensor alive, not two).
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmParams } from './lstm-params.js';
import type { NativeKernels } from './native-kernels.js';
import { tf } from './tf.js';

/** Use inside `tf.tidy`: `hOne` ([h, 1]) and the kernel copy are left to the scope. */
export function outputProbabilities(
  params: LstmParams,
  hTop: Tensor2D,
  kernels: NativeKernels,
): { probs: Tensor2D; hOne: Tensor2D } {
  const [rows] = hTop.shape;
  const V = params.config.vocabSize;
  const hOne = tf.concat([hTop, tf.ones([rows, 1])], 1) as Tensor2D;
  const kernelBias = tf.concat([params.outputKernel, tf.reshape(params.outputBias, [1, V])], 0) as Tensor2D;
  const logits = kernels.matMul(hOne, kernelBias);
  const probs = tf.softmax(logits) as Tensor2D;
  logits.dispose();
  return { probs, hOne };
}

/**
 * -log P[row, targets[row]] per row: one gather of N values. A probability that underflowed to 0
 * (a gap of more than about 87 nats to the best logit: only a diverged model) counts as e^-69.
 */
export function targetLosses(probs: Tensor2D, targets: Int32Array): Tensor1D {
  const [rows, V] = probs.shape;
  const index = new Int32Array(rows);
  for (let row = 0; row < rows; row++) index[row] = row * V + targets[row]!;
  const picked = tf.gather(tf.reshape(probs, [rows * V]), tf.tensor1d(index, 'int32'));
  return tf.neg(tf.log(tf.maximum(picked, 1e-30))) as Tensor1D;
}

/**
 * The output layer's softmax on the native backend, shared by training and evaluation:
 *
 *   P = softmax([h, 1] [W; b])        (a tied model: softmax([h P, 1] [E^T; b]))
 *
 * with the bias as an extra kernel row (one `MatMul`, no pass of its own over [rows, vocab]) and the
 * logits freed as soon as P exists (one [rows, vocab] tensor alive, not two).
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmParams } from './lstm-params.js';
import type { Bf16Tensor2D, NativeKernels } from './native-kernels.js';
import type { OutputPrecision } from './output-precision.js';
import { tf } from './tf.js';
import { outputFeatures, outputKernelOf } from './tied-output.js';

/**
 * The output layer's matrix products at a precision: `operand` prepares a matrix once (a bfloat16 copy
 * in mixed precision, the tensor itself in float32) for any number of `matMul`s, which return float32;
 * and the softmax of their logits (`NativeKernels.softmax`, float32 in either precision).
 */
export interface OutputProducts {
  operand(t: Tensor2D): Tensor2D;
  matMul(a: Tensor2D, b: Tensor2D, transposeA?: boolean, transposeB?: boolean): Tensor2D;
  softmax(logits: Tensor2D): Tensor2D;
}

export function outputProducts(kernels: NativeKernels, precision: OutputPrecision): OutputProducts {
  if (precision === 'float32') return { operand: (t) => t, matMul: kernels.matMul, softmax: kernels.softmax };
  return {
    softmax: kernels.softmax,
    operand: kernels.toBf16,
    // Every operand of these products came from `operand`.
    matMul: (a, b, transposeA, transposeB) =>
      kernels.matMulBf16(a as Bf16Tensor2D, b as Bf16Tensor2D, transposeA, transposeB),
  };
}

/**
 * Use inside `tf.tidy`: `features` ([x, 1], x = h for an untied model, h P for a tied one) and
 * `kernelBias` ([K; b], K = W or E^T, see `outputKernelOf`), as `products` operands, are left to the
 * scope (training multiplies them again for the gradients).
 */
export function outputProbabilities(
  params: LstmParams,
  hTop: Tensor2D,
  products: OutputProducts,
): { probs: Tensor2D; features: Tensor2D; kernelBias: Tensor2D } {
  const [rows] = hTop.shape;
  const V = params.config.vocabSize;
  const features = products.operand(tf.concat([outputFeatures(params, hTop), tf.ones([rows, 1])], 1) as Tensor2D);
  const kernelBias = products.operand(
    tf.concat([outputKernelOf(params), tf.reshape(params.outputBias, [1, V])], 0) as Tensor2D,
  );
  const logits = products.matMul(features, kernelBias);
  const probs = products.softmax(logits);
  logits.dispose();
  return { probs, features, kernelBias };
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

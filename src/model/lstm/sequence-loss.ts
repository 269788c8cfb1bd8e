/**
 * Forward pass only: the summed cross-entropy of a batch and the state after it (for validation and
 * evaluation). Fused kernels and one softmax on the native backend, composed ops otherwise.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { LstmParams } from './lstm-params.js';
import type { LstmState } from './lstm-state.js';
import type { TrainBatch } from './train-batch.js';
import { lstmStep } from './lstm-block-cell.js';
import { nativeKernels } from './native-kernels.js';
import { outputProbabilities, outputProducts, targetLosses } from './output-probabilities.js';
import { tf } from './tf.js';
import { outputFeatures, outputKernelOf } from './tied-output.js';

/** Cross-entropy per row on composed ops (the JavaScript backend). */
function composedLosses(params: LstmParams, hTop: Tensor2D, targets: Int32Array): Tensor {
  const logits = tf.add(tf.matMul(outputFeatures(params, hTop), outputKernelOf(params)), params.outputBias);
  const labels = tf.oneHot(tf.tensor1d(targets, 'int32'), params.config.vocabSize);
  return tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1));
}

/**
 * Use inside `tf.tidy`: -ln P(target) per row (row t * B + b), the final state of each layer, and the top
 * layer's hidden state per row (what predicted that row's target).
 */
function forwardLosses(
  params: LstmParams,
  batch: TrainBatch,
  state: LstmState,
): [Tensor, Tensor2D[], Tensor2D[], Tensor2D] {
  const T = batch.seqLength;
  let xs = tf.split(tf.gather(params.embedding, tf.tensor1d(batch.inputs, 'int32')), T, 0) as Tensor2D[];
  const finalC: Tensor2D[] = [];
  const finalH: Tensor2D[] = [];
  params.layers.forEach((layer, l) => {
    let c = state.c[l]!;
    let h = state.h[l]!;
    const hs: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      ({ c, h } = lstmStep(xs[t]!, c, h, layer));
      hs.push(h);
    }
    finalC.push(c);
    finalH.push(h);
    xs = hs;
  });
  const hTop = tf.concat(xs, 0) as Tensor2D;
  const losses = nativeKernels
    ? targetLosses(outputProbabilities(params, hTop, outputProducts(nativeKernels, 'float32')).probs, batch.targets)
    : composedLosses(params, hTop, batch.targets);
  return [losses, finalC, finalH, hTop];
}

/** Returns the loss summed over the batch's tokens (nats) and the final state (owned by the caller). */
export function sequenceLoss(
  params: LstmParams,
  batch: TrainBatch,
  state: LstmState,
): { lossSum: number; state: LstmState } {
  const [lossSum, c, h] = tf.tidy(() => {
    const [losses, finalC, finalH] = forwardLosses(params, batch, state);
    return [tf.sum(losses), finalC, finalH] as const;
  });
  const value = lossSum.dataSync()[0]!;
  lossSum.dispose();
  if (value !== value) throw new Error('loss is NaN');
  return { lossSum: value, state: { c, h } };
}

/**
 * -ln P(target) of each of the batch's tokens (row t * B + b, as `batch.targets`) and the final state;
 * with `withHidden`, also the top layer's hidden state that predicted each target ([rows, hidden]).
 */
export function sequenceTargetLosses(
  params: LstmParams,
  batch: TrainBatch,
  state: LstmState,
  withHidden = false,
): { losses: Float32Array; state: LstmState; hidden?: Float32Array } {
  const [losses, c, h, hTop] = tf.tidy(() => {
    const [rowLosses, finalC, finalH, top] = forwardLosses(params, batch, state);
    return [rowLosses, finalC, finalH, withHidden ? top : undefined] as const;
  });
  const values = losses.dataSync() as Float32Array;
  const hidden = hTop && (hTop.dataSync() as Float32Array);
  losses.dispose();
  hTop?.dispose();
  return { losses: values, state: { c, h }, ...(hidden && { hidden }) };
}

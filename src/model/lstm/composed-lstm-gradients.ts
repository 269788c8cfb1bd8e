/**
 * The same loss as `lstm-gradients.ts`, written with ordinary composed ops and differentiated by
 * `tf.grads`. Slow; it is the training path on the JavaScript backend and the reference the fast path
 * is checked against.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { maskPerStep, type DropoutMasks } from './dropout-masks.js';
import type { LossAndGrads } from './lstm-gradients.js';
import type { LstmParams } from './lstm-params.js';
import type { LstmState } from './lstm-state.js';
import type { TrainBatch } from './train-batch.js';
import { tf } from './tf.js';
import { outputFeatures, outputKernelOf, type OutputLayerWeights } from './tied-output.js';

function composedStep(x: Tensor2D, c: Tensor2D, h: Tensor2D, kernel: Tensor2D, bias: Tensor1D): [Tensor2D, Tensor2D] {
  const gates = tf.add(tf.matMul(tf.concat([x, h], 1), kernel), bias);
  const [i, ci, f, o] = tf.split(gates, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
  const newC = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(ci))) as Tensor2D;
  const newH = tf.mul(tf.sigmoid(o), tf.tanh(newC)) as Tensor2D;
  return [newC, newH];
}

/**
 * Mean cross-entropy of a batch with every weight passed explicitly (so `tf.grads` can differentiate);
 * for a tied model the weight after the layers is the projection P, and the logits are (h P) E^T.
 */
function composedLoss(
  weights: Tensor[],
  layers: number,
  tied: boolean,
  batch: TrainBatch,
  state: LstmState,
  masks: DropoutMasks,
  finalState?: LstmState,
): Scalar {
  const [embedding, ...rest] = weights as Tensor2D[];
  const outputWeight = rest[2 * layers] as Tensor2D;
  const outputBias = rest[2 * layers + 1] as unknown as Tensor1D;
  const { batchSize: B, seqLength: T } = batch;
  const embedded = tf.gather(embedding!, tf.tensor1d(batch.inputs, 'int32'));
  const input = masks.input ? tf.mul(embedded, maskPerStep(masks.input, T)) : embedded;
  let xs = tf.split(input, T, 0) as Tensor2D[];
  for (let l = 0; l < layers; l++) {
    const kernel = rest[2 * l]!;
    const bias = rest[2 * l + 1] as unknown as Tensor1D;
    let c = state.c[l]!;
    let h = state.h[l]!;
    const hs: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      [c, h] = composedStep(xs[t]!, c, h, kernel, bias);
      hs.push(h);
    }
    if (finalState) {
      finalState.c.push(tf.keep(c));
      finalState.h.push(tf.keep(h));
    }
    xs = hs;
  }
  const hTop = tf.concat(xs, 0) as Tensor2D;
  const output = masks.output ? (tf.mul(hTop, maskPerStep(masks.output, T)) as Tensor2D) : hTop;
  const outputLayer: OutputLayerWeights = tied
    ? { embedding: embedding!, outputProjection: outputWeight }
    : { embedding: embedding!, outputKernel: outputWeight };
  const logits = tf.add(tf.matMul(outputFeatures(outputLayer, output), outputKernelOf(outputLayer)), outputBias);
  const labels = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), logits.shape[1]!);
  const logProbs = tf.logSoftmax(logits);
  return tf.neg(tf.div(tf.sum(tf.mul(labels, logProbs)), B * T)) as Scalar;
}

/** Loss and gradients on composed ops; same contract as `lstmGradients`. */
export function composedLstmGradients(
  params: LstmParams,
  batch: TrainBatch,
  state: LstmState,
  masks: DropoutMasks = {},
): LossAndGrads {
  const weights: Tensor[] = [
    params.embedding,
    ...params.layers.flatMap((layer) => [layer.kernel, layer.bias]),
    params.outputProjection ?? params.outputKernel,
    params.outputBias,
  ];
  const tied = params.outputProjection !== undefined;
  const finalState: LstmState = { c: [], h: [] };
  let loss: Tensor | undefined;
  const grads = tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((...w: Tensor[]) =>
      composedLoss(w, params.layers.length, tied, batch, state, masks, finalState),
    )(weights);
    loss = tf.keep(value);
    return grads;
  });
  const n = params.layers.length;
  return {
    loss: loss!,
    grads: {
      embedding: grads[0] as Tensor2D,
      layers: params.layers.map((_, l) => ({
        kernel: grads[1 + 2 * l] as Tensor2D,
        bias: grads[2 + 2 * l] as Tensor1D,
      })),
      ...(tied ? { outputProjection: grads[1 + 2 * n] as Tensor2D } : { outputKernel: grads[1 + 2 * n] as Tensor2D }),
      outputBias: grads[2 + 2 * n] as Tensor1D,
    },
    state: finalState,
  };
}

/**
 * Loss and gradients of the LSTM language model for one batch, forward and backward written by hand
 * on TensorFlow's native kernels (the fast training path):
 *
 *   forward:  one embedding gather for the whole batch; per layer, `seqLength` fused `LSTMBlockCell`
 *             steps; ONE output matmul over all [seq * batch, hidden] (a tied model's: h P first, then
 *             one over [seq * batch, embedding]) and a softmax (`outputLayer`).
 *   backward: P - Y by one scatter, then the output grads by one matmul each (a tied model's output
 *             layer is (h P) E^T, never P E^T made: `outputLayer`); per layer,
 *             `LSTMBlockCellGrad` steps back in time (only the recurrent part dh_prev = dicfo W_h^T
 *             inside the loop); after the loop the kernel grad
 *             as ONE matmul of concat([x, h_prev]) with concat(dicfo), the bias grad as a sum and the
 *             input grad as one matmul; the embedding grad by `UnsortedSegmentSum`.
 *
 * Truncated back-propagation: no gradient flows into the initial state. Dropout (`masks`, training
 * only) multiplies the embedded inputs and the top layer's outputs, and so their gradients.
 */
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { maskPerStep, type DropoutMasks } from './dropout-masks.js';
import type { LstmParams } from './lstm-params.js';
import type { LstmState } from './lstm-state.js';
import type { TrainBatch } from './train-batch.js';
import { lstmStep } from './lstm-block-cell.js';
import { nativeKernels } from './native-kernels.js';
import type { OutputPrecision } from './output-precision.js';
import { outputProbabilities, outputProducts, targetLosses, type OutputProducts } from './output-probabilities.js';
import { tf } from './tf.js';

/** Gradients in the shape of the parameters. */
export interface LstmGrads {
  embedding: Tensor2D;
  layers: { kernel: Tensor2D; bias: Tensor1D }[];
  /** An untied model's. */
  outputKernel?: Tensor2D;
  /** A tied model's (`tied-output.ts`), whose output layer also adds to `embedding`'s. */
  outputProjection?: Tensor2D;
  outputBias: Tensor1D;
}

/** Frees every gradient tensor. */
export function disposeGrads(grads: LstmGrads): void {
  grads.embedding.dispose();
  grads.outputKernel?.dispose();
  grads.outputProjection?.dispose();
  grads.outputBias.dispose();
  for (const layer of grads.layers) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
}

export interface LossAndGrads {
  /** Mean cross-entropy per token (nats), a scalar. */
  loss: Tensor;
  grads: LstmGrads;
  /** The state after the batch's last step (to carry into the next batch of the same stripes). */
  state: LstmState;
}

interface LayerTrace {
  /** Per step: input x, previous c and h, and the seven kernel outputs. */
  xs: Tensor2D[];
  cPrev: Tensor2D[];
  hPrev: Tensor2D[];
  cells: Tensor[][];
}

/** The output layer's gradients: an untied model's kernel, or a tied one's P and its share of E's. */
type OutputGrads = Pick<LstmGrads, 'outputBias' | 'outputKernel' | 'outputProjection'> & { embedding?: Tensor2D };

/**
 * The output layer's loss and gradients, with x the top hidden state h (untied) or h P (tied) and
 * K the kernel W (untied) or E^T (tied; see `outputFeatures` and `outputKernelOf`):
 *
 *   S = softmax([x, 1] [K; b])       (`outputProbabilities`)
 *   loss = mean(-log S[label])       (a gather of N values)
 *   D = (S - Y) / N                  (one scatter: 1 off each row's target)
 *   d[W; b] = [x, 1]^T D             (untied)
 *   [dE, db] = D^T [x, 1]            (tied: the output layer's share of E's gradient, and the bias's)
 *   dx = D K^T                       (untied: dh; tied: dP = h^T dx and dh = dx P^T)
 *
 * The three [N, depth] x [depth, vocab] products are most of a batch's work; in mixed precision
 * they take bfloat16 operands (float32 accumulation and result; the softmax, the loss and the weights
 * stay float32), as Keras's `mixed_bfloat16` policy computes a Dense layer.
 * Measured at the reference sizes (N = 2,048, vocabulary 8,000): TensorFlow's fused cross-entropy
 * kernel took about 70 ms where the softmax takes 19 and the scatter 7.
 */
function outputLayer(
  params: LstmParams,
  hTop: Tensor2D,
  targets: Int32Array,
  products: OutputProducts,
  kernels: NonNullable<typeof nativeKernels>,
): { loss: Tensor; grads: OutputGrads; dTop: Tensor2D } {
  const [N] = hTop.shape;
  const V = params.config.vocabSize;
  const { probs, features, kernelBias } = outputProbabilities(params, hTop, products);
  const depth = features.shape[1] - 1;
  const loss = tf.mean(targetLosses(probs, targets));
  const dLogits = products.operand(kernels.subtractOneAt(probs, targets));
  probs.dispose();

  // The 1/N goes on the gradients ([depth + 1, vocab] and [N, depth]), not on D ([N, vocab]).
  const inverseN = tf.scalar(1 / N);
  // D [K; b]^T, its bias column dropped.
  const dx = tf.mul(
    tf.slice(products.matMul(dLogits, kernelBias, false, true), [0, 0], [N, depth]),
    inverseN,
  ) as Tensor2D;
  const projection = params.outputProjection;
  if (projection) {
    const dWordsBias = tf.mul(products.matMul(dLogits, features, true, false), inverseN);
    const grads = {
      embedding: tf.slice(dWordsBias, [0, 0], [V, depth]) as Tensor2D,
      outputBias: tf.reshape(tf.slice(dWordsBias, [0, depth], [V, 1]), [V]) as Tensor1D,
      outputProjection: kernels.matMul(hTop, dx, true, false),
    };
    return { loss, grads, dTop: kernels.matMul(dx, projection, false, true) };
  }
  const dKernelBias = tf.mul(products.matMul(features, dLogits, true, false), inverseN);
  const grads = {
    outputKernel: tf.slice(dKernelBias, [0, 0], [depth, V]) as Tensor2D,
    outputBias: tf.reshape(tf.slice(dKernelBias, [depth, 0], [1, V]), [V]) as Tensor1D,
  };
  return { loss, grads, dTop: dx };
}

/** The caller owns every returned tensor; `state` and `masks` are only read. Native backend only. */
// eslint-disable-next-line max-lines-per-function -- numerical kernel: the forward trace and the backward pass share one tf.tidy scope and its per-step tensors; read in one piece against the LSTMBlockCellGrad maths
export function lstmGradients(
  params: LstmParams,
  batch: TrainBatch,
  state: LstmState,
  masks: DropoutMasks = {},
  precision: OutputPrecision = 'float32',
): LossAndGrads {
  const kernels = nativeKernels;
  if (!kernels) throw new Error('lstmGradients needs the native TensorFlow backend');
  const T = batch.seqLength;
  const { vocabSize: V } = params.config;
  // eslint-disable-next-line max-lines-per-function -- numerical kernel: see above
  return tf.tidy(() => {
    const ids = tf.tensor1d(batch.inputs, 'int32');
    const inputMask = masks.input && maskPerStep(masks.input, T);
    const gathered = tf.gather(params.embedding, ids) as Tensor2D;
    const embedded = inputMask ? (tf.mul(gathered, inputMask) as Tensor2D) : gathered;

    // Forward, layer by layer over the whole sequence.
    const traces: LayerTrace[] = [];
    const finalC: Tensor2D[] = [];
    const finalH: Tensor2D[] = [];
    let xs = tf.split(embedded, T, 0) as Tensor2D[];
    params.layers.forEach((layer, l) => {
      const trace: LayerTrace = { xs, cPrev: [], hPrev: [], cells: [] };
      let c = state.c[l]!;
      let h = state.h[l]!;
      const hs: Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const step = lstmStep(xs[t]!, c, h, layer);
        trace.cPrev.push(c);
        trace.hPrev.push(h);
        trace.cells.push(step.outputs);
        c = step.c;
        h = step.h;
        hs.push(h);
      }
      traces.push(trace);
      finalC.push(c);
      finalH.push(h);
      xs = hs;
    });

    const outputMask = masks.output && maskPerStep(masks.output, T);
    const hConcat = tf.concat(xs, 0) as Tensor2D;
    const hTop = outputMask ? (tf.mul(hConcat, outputMask) as Tensor2D) : hConcat;
    const output = outputLayer(params, hTop, batch.targets, outputProducts(kernels, precision), kernels);
    const { loss } = output;
    const dTop = outputMask ? (tf.mul(output.dTop, outputMask) as Tensor2D) : output.dTop;
    let dOut = tf.split(dTop, T, 0) as Tensor2D[];

    // Backward, top layer first.
    const layerGrads: LstmGrads['layers'] = [];
    let dInput: Tensor2D | undefined;
    for (let l = params.layers.length - 1; l >= 0; l--) {
      const layer = params.layers[l]!;
      const trace = traces[l]!;
      const inputSize = layer.kernel.shape[0] - params.config.hiddenSize;
      const [wx, wh] = tf.split(layer.kernel, [inputSize, params.config.hiddenSize], 0) as [Tensor2D, Tensor2D];
      // dh_prev = dicfo W_h^T, with W_h^T made once: a plain MatMul beats one with transpose_b here.
      const whT = tf.transpose(wh) as Tensor2D;
      let dc = tf.zerosLike(state.c[l]!) as Tensor2D;
      let dh = tf.zerosLike(state.h[l]!) as Tensor2D;
      const dicfos: Tensor2D[] = new Array<Tensor2D>(T);
      for (let t = T - 1; t >= 0; t--) {
        const hGrad = tf.add(dOut[t]!, dh) as Tensor2D;
        const g = kernels.lstmBlockCellGrad(
          trace.xs[t]!,
          trace.cPrev[t]!,
          trace.hPrev[t]!,
          layer.kernel,
          layer.bias,
          trace.cells[t]!,
          dc,
          hGrad,
        );
        dicfos[t] = g.dicfo;
        dc = g.cPrevGrad;
        dh = kernels.matMul(g.dicfo, whT);
      }
      const dicfo = tf.concat(dicfos, 0) as Tensor2D;
      const xh = tf.concat([tf.concat(trace.xs, 0), tf.concat(trace.hPrev, 0)], 1) as Tensor2D;
      layerGrads[l] = {
        kernel: kernels.matMul(xh, dicfo, true, false),
        bias: tf.sum(dicfo, 0) as Tensor1D,
      };
      dInput = kernels.matMul(dicfo, wx, false, true);
      if (l > 0) dOut = tf.split(dInput, T, 0) as Tensor2D[];
    }
    const dEmbedded = inputMask ? tf.mul(dInput!, inputMask) : dInput!;
    const inputGrad = tf.unsortedSegmentSum(dEmbedded, ids, V) as Tensor2D;
    const embedding = output.grads.embedding ? (tf.add(inputGrad, output.grads.embedding) as Tensor2D) : inputGrad;
    return {
      loss,
      grads: { ...output.grads, embedding, layers: layerGrads },
      state: { c: finalC, h: finalH },
    };
  });
}

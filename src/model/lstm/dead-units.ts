/**
 * Dead hidden units: the same LSTM with a few hidden units appended whose weights are all zero. Such a
 * unit's gates are all 0 before their non-linearities, so its cell input tanh(0) is 0, its cell stays
 * 0 from a zero state, and its output 0.5 x tanh(0) is exactly 0; its rows in the next layer's kernel
 * and in the output layer are zero too. The model computes the same function, on other shapes.
 *
 * The sampler uses this to keep the fused cell's matrix product off a shape that TensorFlow's
 * single-threaded CPU product handles badly. At hidden 256 the gate kernel has 4 x 256 = 1,024
 * columns (rows of 4 KB), and the product of 16 rows by it took 368 us where 1,040 columns took 163 us
 * (AMD EPYC, AVX2, one thread; 2,048 columns 723 us). The fused cell at batch 16 took 421 us with
 * 256 units and 225 us with 260; at batch 1 89 and 75 us; at hidden 512, 1,242 against 574 us; at
 * hidden 128, 192, 320 and 384 four more units changed little (121 -> 115, 395 -> 382 us). With two
 * threads (training) the padded cell was slower (702 against 780 us at batch 64), so only the
 * sampler pads. `widenHidden` (`lstm-bot train --widen`) starts from such a model and gives the new
 * units weights of their own.
 */
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmLayerParams } from './lstm-block-cell.js';
import type { LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

/** Units the sampler appends to an LSTM of `hidden` units: 4 when the gate kernel's rows are whole KBs. */
export function samplingDeadUnits(hidden: number): number {
  return hidden % 256 === 0 ? 4 : 0;
}

/**
 * `params` with `extra` dead units per layer. The new layers and output weights (P, or an untied
 * model's W, with zero rows) are new tensors, listed in `made` for the caller to dispose; the
 * embedding and output bias are `params`' own.
 */
export function withDeadUnits(params: LstmParams, extra: number): { params: LstmParams; made: Tensor[] } {
  if (extra === 0) return { params, made: [] };
  const { embeddingSize, hiddenSize } = params.config;
  const layers = params.layers.map((layer, l) => padLayer(layer, l === 0 ? embeddingSize : hiddenSize, l > 0, extra));
  const common = {
    config: { ...params.config, hiddenSize: hiddenSize + extra },
    embedding: params.embedding,
    outputBias: params.outputBias,
    layers,
  };
  const rows = (weights: Tensor2D) =>
    tf.pad(weights, [
      [0, extra],
      [0, 0],
    ]);
  const padded: LstmParams = params.outputProjection
    ? { ...common, outputProjection: rows(params.outputProjection) }
    : { ...common, outputKernel: rows(params.outputKernel!) };
  const output = padded.outputProjection ?? padded.outputKernel!;
  return { params: padded, made: [...layers.flatMap((layer) => [layer.kernel, layer.bias]), output] };
}

/**
 * A layer's kernel [input + hidden, 4 x hidden] with zero rows after the hidden rows (and after the
 * input rows when the input is a padded layer below), and each gate's block of columns followed by
 * `extra` zero columns; the bias likewise.
 */
function padLayer(layer: LstmLayerParams, inputSize: number, paddedInput: boolean, extra: number): LstmLayerParams {
  return tf.tidy(() => {
    const hidden = layer.kernel.shape[1] / 4;
    const [x, h] = tf.split(layer.kernel, [inputSize, hidden], 0) as [Tensor2D, Tensor2D];
    const rows = tf.concat(
      [
        tf.pad(x, [
          [0, paddedInput ? extra : 0],
          [0, 0],
        ]),
        tf.pad(h, [
          [0, extra],
          [0, 0],
        ]),
      ],
      0,
    );
    const gates = tf.split(rows, 4, 1).map((gate) =>
      tf.pad(gate, [
        [0, 0],
        [0, extra],
      ]),
    );
    const biases = tf.split(layer.bias, 4).map((gate) => tf.pad(gate, [[0, extra]]));
    return { kernel: tf.concat(gates, 1) as Tensor2D, bias: tf.concat(biases) as Tensor1D };
  });
}

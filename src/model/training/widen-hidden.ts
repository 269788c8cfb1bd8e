import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { cloneParams } from '../lstm/clone-params.js';
import { initParams } from '../lstm/init-params.js';
import { disposeParams, type LstmParams } from '../lstm/lstm-params.js';
import { tf } from '../lstm/tf.js';
import { CodedError } from '../../errors/coded-error.js';

/**
 * The weights of a model whose LSTM layers have `hidden` units instead of `params.config.hiddenSize`,
 * computing exactly what `params` computes (Net2Net's "wider" step, with silent new units): each new
 * unit's own weights (its columns of every gate, its bias) are fresh, as `initParams` makes them for a
 * model of the new size, but every weight leaving a new unit is 0: its rows of the recurrent kernel
 * (for the old units' gates), of the next layer's input kernel and of the output projection or kernel.
 * So the old units and the output see nothing of the new ones until training moves those zeros: the
 * gradient reaches them at once, since the new units' states are not 0.
 * Returns new tensors; `params` are left as they are.
 */
export function widenHidden(params: LstmParams, hidden: number, seed: number): LstmParams {
  const { hiddenSize, embeddingSize } = params.config;
  if (!Number.isInteger(hidden) || hidden < hiddenSize)
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--widen must be an integer of at least ${hiddenSize} (got ${hidden})`,
    );
  if (hidden === hiddenSize) return cloneParams(params);
  // Fresh weights of the new size; only their layers are used (a one-word vocabulary keeps them small).
  const fresh = initParams({ ...params.config, vocabSize: 1, hiddenSize: hidden }, seed);
  try {
    return tf.tidy(() => {
      const layers = params.layers.map((layer, l) => {
        const inputs = { old: l === 0 ? embeddingSize : hiddenSize, new: l === 0 ? embeddingSize : hidden };
        const sizes = { old: hiddenSize, new: hidden, inputs };
        return {
          kernel: widenKernel(layer.kernel, fresh.layers[l]!.kernel, sizes),
          bias: widenBias(layer.bias, fresh.layers[l]!.bias, sizes),
        };
      });
      const common = {
        config: { ...params.config, hiddenSize: hidden },
        embedding: tf.clone(params.embedding),
        layers,
        outputBias: tf.clone(params.outputBias),
      };
      const silentRows = (weights: Tensor2D): Tensor2D =>
        tf.concat([weights, tf.zeros([hidden - hiddenSize, weights.shape[1]])], 0);
      return params.outputProjection
        ? { ...common, outputProjection: silentRows(params.outputProjection) }
        : { ...common, outputKernel: silentRows(params.outputKernel) };
    });
  } finally {
    disposeParams(fresh);
  }
}

interface WidenSizes {
  old: number;
  new: number;
  /** The layer's input size before and after (the embedding, or the layer below's units). */
  inputs: { old: number; new: number };
}

/**
 * kernel [inputs + hidden, 4 hidden] (gate order i, ci, f, o; `lstm-block-cell.ts`), widened: in each
 * gate's block of columns the old units' columns take the old weights, 0 on the rows of new inputs and
 * new units, and the new units' columns are `fresh`'s.
 */
function widenKernel(kernel: Tensor2D, fresh: Tensor2D, sizes: WidenSizes): Tensor2D {
  const { old: H, new: W, inputs } = sizes;
  const source = kernel.dataSync();
  const result = fresh.dataSync().slice();
  const rowOf = (oldRow: number): number => (oldRow < inputs.old ? oldRow : inputs.new + (oldRow - inputs.old));
  const oldRows = new Set<number>();
  for (let row = 0; row < inputs.old + H; row++) oldRows.add(rowOf(row));
  for (let gate = 0; gate < 4; gate++) {
    for (let unit = 0; unit < H; unit++) {
      const column = gate * W + unit;
      for (let row = 0; row < inputs.new + W; row++) if (!oldRows.has(row)) result[row * 4 * W + column] = 0;
      for (let row = 0; row < inputs.old + H; row++)
        result[rowOf(row) * 4 * W + column] = source[row * 4 * H + gate * H + unit]!;
    }
  }
  return tf.tensor2d(result, [inputs.new + W, 4 * W]);
}

/** bias [4 hidden]: the old units' biases in each gate's block, `fresh`'s for the new units. */
function widenBias(bias: Tensor1D, fresh: Tensor1D, sizes: WidenSizes): Tensor1D {
  const { old: H, new: W } = sizes;
  const source = bias.dataSync();
  const result = fresh.dataSync().slice();
  for (let gate = 0; gate < 4; gate++) result.set(source.subarray(gate * H, (gate + 1) * H), gate * W);
  return tf.tensor1d(result);
}

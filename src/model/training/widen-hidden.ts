import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { cloneParams } from '../lstm/clone-params.js';
import { withDeadUnits } from '../lstm/dead-units.js';
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
  const { hiddenSize } = params.config;
  if (!Number.isInteger(hidden) || hidden < hiddenSize)
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--widen must be an integer of at least ${hiddenSize} (got ${hidden})`,
    );
  if (hidden === hiddenSize) return cloneParams(params);
  // The old weights in place, zeros for everything of the new units (the sampler's dead units)...
  const padded = withDeadUnits(params, hidden - hiddenSize);
  // ...and the new units' own columns from fresh weights of the new size (a one-word vocabulary keeps them small).
  const fresh = initParams({ ...params.config, vocabSize: 1, hiddenSize: hidden }, seed);
  try {
    return tf.tidy(() => {
      const ownColumns = newUnitColumns(hiddenSize, hidden);
      const layers = padded.params.layers.map((layer, l) => ({
        kernel: tf.add(layer.kernel, tf.mul(fresh.layers[l]!.kernel, ownColumns)) as Tensor2D,
        bias: tf.add(layer.bias, tf.mul(fresh.layers[l]!.bias, ownColumns)) as Tensor1D,
      }));
      const common = {
        config: { ...padded.params.config },
        embedding: tf.clone(params.embedding),
        layers,
        outputBias: tf.clone(params.outputBias),
      };
      return padded.params.outputProjection
        ? { ...common, outputProjection: tf.clone(padded.params.outputProjection) }
        : { ...common, outputKernel: tf.clone(padded.params.outputKernel) };
    });
  } finally {
    disposeParams(fresh);
    for (const tensor of padded.made) tensor.dispose();
  }
}

/** [4 hidden] (gate order i, ci, f, o): 1 in each gate's block at the new units' places, 0 at the old ones'. */
function newUnitColumns(old: number, hidden: number): Tensor1D {
  const mask = new Float32Array(4 * hidden);
  for (let gate = 0; gate < 4; gate++) mask.fill(1, gate * hidden + old, (gate + 1) * hidden);
  return tf.tensor1d(mask);
}

import type { Tensor } from '@tensorflow/tfjs';
import type { LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

/**
 * New weights of the first set's structure (tied or untied, its layers), each tensor `f` of the same
 * tensor of every set in `sets` (all of one structure and shapes). The sets stay the caller's.
 */
export function combineParams(
  sets: readonly [LstmParams, ...LstmParams[]],
  f: <T extends Tensor>(...tensors: T[]) => T,
): LstmParams {
  const [first] = sets;
  const each = <T extends Tensor>(pick: (params: LstmParams) => T) => f(...sets.map(pick));
  const common = {
    config: { ...first.config },
    embedding: each((p) => p.embedding),
    layers: first.layers.map((_, l) => ({
      kernel: each((p) => p.layers[l]!.kernel),
      bias: each((p) => p.layers[l]!.bias),
    })),
    outputBias: each((p) => p.outputBias),
  };
  return first.outputProjection
    ? { ...common, outputProjection: each((p) => p.outputProjection!) }
    : { ...common, outputKernel: each((p) => p.outputKernel!) };
}

/** A copy of the weights that lives on when the originals are disposed (shares the data until then). */
export function cloneParams(params: LstmParams): LstmParams {
  return combineParams([params], (tensor) => tf.clone(tensor));
}

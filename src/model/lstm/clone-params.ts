import type { LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

/** A copy of the weights that lives on when the originals are disposed (shares the data until then). */
export function cloneParams(params: LstmParams): LstmParams {
  const common = {
    config: { ...params.config },
    embedding: tf.clone(params.embedding),
    layers: params.layers.map((layer) => ({ kernel: tf.clone(layer.kernel), bias: tf.clone(layer.bias) })),
    outputBias: tf.clone(params.outputBias),
  };
  return params.outputProjection
    ? { ...common, outputProjection: tf.clone(params.outputProjection) }
    : { ...common, outputKernel: tf.clone(params.outputKernel) };
}

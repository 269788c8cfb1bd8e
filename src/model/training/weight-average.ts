/**
 * The running mean of the weights over the last part of a training (Polyak averaging, as the ASGD of
 * AWD-LSTM and the weight averaging of SWA): after each step, mean += (weights - mean) / k. The mean
 * of the weights the optimiser passed through often scores better than the last of them.
 */
import type { Tensor } from '@tensorflow/tfjs';

import { cloneParams } from '../lstm/clone-params.js';
import { disposeParams, type LstmParams } from '../lstm/lstm-params.js';
import { tf } from '../lstm/tf.js';

export class WeightAverage {
  #mean: LstmParams;
  #count = 1;

  /** Starts the mean at `first` (copied: the caller keeps its weights). */
  constructor(first: LstmParams) {
    this.#mean = cloneParams(first);
  }

  /** Weights averaged so far. */
  get count(): number {
    return this.#count;
  }

  /** The mean (the average's own tensors: valid until the next `add` or `dispose`). */
  get params(): LstmParams {
    return this.#mean;
  }

  /** Adds one more set of weights (of the same shapes) to the mean. */
  add(weights: LstmParams): void {
    this.#count += 1;
    const share = tf.scalar(1 / this.#count);
    const towards = <T extends Tensor>(mean: T, value: T): T =>
      tf.tidy(() => tf.add(mean, tf.mul(tf.sub(value, mean), share)) as T);
    const mean = this.#mean;
    const layers = mean.layers.map((layer, l) => ({
      kernel: towards(layer.kernel, weights.layers[l]!.kernel),
      bias: towards(layer.bias, weights.layers[l]!.bias),
    }));
    const common = {
      config: mean.config,
      embedding: towards(mean.embedding, weights.embedding),
      outputBias: towards(mean.outputBias, weights.outputBias),
      layers,
    };
    this.#mean = mean.outputProjection
      ? { ...common, outputProjection: towards(mean.outputProjection, weights.outputProjection!) }
      : { ...common, outputKernel: towards(mean.outputKernel!, weights.outputKernel!) };
    share.dispose();
    disposeParams(mean);
  }

  dispose(): void {
    disposeParams(this.#mean);
  }
}

/**
 * The running mean of the weights over the last part of a training (Polyak averaging, as the ASGD of
 * AWD-LSTM and the weight averaging of SWA): after each step, mean += (weights - mean) / k. The mean
 * of the weights the optimiser passed through often scores better than the last of them.
 */
import { cloneParams, combineParams } from '../lstm/clone-params.js';
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
    const mean = this.#mean;
    this.#mean = combineParams([mean, weights], (current, value) =>
      tf.tidy(() => tf.add(current, tf.mul(tf.sub(value!, current), share))),
    );
    share.dispose();
    disposeParams(mean);
  }

  dispose(): void {
    disposeParams(this.#mean);
  }
}

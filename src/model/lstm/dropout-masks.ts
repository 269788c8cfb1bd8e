/**
 * Variational dropout for training (Gal and Ghahramani 2016, as in AWD-LSTM): one mask per batch row,
 * the same at every time step, on the embedded inputs of the first LSTM layer and on the top layer's
 * outputs before the softmax. Masks are inverted (kept units scaled by 1 / (1 - rate)), so evaluation
 * and sampling use the weights as they are, with no mask.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { LstmModelConfig } from './lstm-params.js';
import { tf } from './tf.js';

export interface DropoutRates {
  /** Share of embedding units dropped at the LSTM's input. */
  input: number;
  /** Share of the top layer's hidden units dropped before the output layer. */
  output: number;
}

/** Masks of one batch: `input` [batch, embedding], `output` [batch, hidden]; absent when the rate is 0. */
export interface DropoutMasks {
  input?: Tensor2D;
  output?: Tensor2D;
}

export const noDropout: DropoutRates = { input: 0, output: 0 };

/** Seeded masks for one batch; the caller disposes them (`disposeDropoutMasks`). */
export function dropoutMasks(
  config: LstmModelConfig,
  batchSize: number,
  rates: DropoutRates,
  seed: number,
): DropoutMasks {
  const mask = (units: number, rate: number, salt: number): Tensor2D | undefined => {
    if (!(rate > 0)) return undefined;
    if (rate >= 1) throw new RangeError(`a dropout rate must be below 1 (got ${rate})`);
    return tf.tidy(() => {
      const uniform = tf.randomUniform([batchSize, units], 0, 1, 'float32', seed * 2 + salt);
      return tf.mul(tf.cast(tf.greaterEqual(uniform, rate), 'float32'), 1 / (1 - rate)) as Tensor2D;
    });
  };
  return {
    input: mask(config.embeddingSize, rates.input, 0),
    output: mask(config.hiddenSize, rates.output, 1),
  };
}

/** The mask of each row repeated for every step of a time-major batch ([seqLength * batch, units]). */
export function maskPerStep(mask: Tensor2D, seqLength: number): Tensor2D {
  return tf.tile(mask, [seqLength, 1]) as Tensor2D;
}

export function disposeDropoutMasks(masks: DropoutMasks): void {
  masks.input?.dispose();
  masks.output?.dispose();
}

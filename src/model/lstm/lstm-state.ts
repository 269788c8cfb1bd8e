import type { Tensor2D } from '@tensorflow/tfjs';
import { lstmStep } from './lstm-block-cell.js';
import type { LstmModelConfig, LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

/** Cell and hidden state of every LSTM layer, each [batch, hidden]. */
export interface LstmState {
  c: Tensor2D[];
  h: Tensor2D[];
}

/** The all-zero state a fresh sequence starts from. */
export function zeroLstmState(config: LstmModelConfig, batchSize: number): LstmState {
  const zeros = (): Tensor2D[] =>
    Array.from({ length: config.layers }, () => tf.zeros([batchSize, config.hiddenSize]) as Tensor2D);
  return { c: zeros(), h: zeros() };
}

/**
 * The state a stripe of a token stream starts from, in training and evaluation: the model's state after
 * reading `startId` (`<eos>`, a message boundary) from zeros, the state a reply starts from when the
 * bot samples (a prompt is read after `<eos>`), one row per stripe. A stripe starts anywhere in a
 * message; from the all-zero state itself, which a model never meets mid-message otherwise, a model can
 * fall into a state it does not leave: `base8d` read a self-dialogue stripe that began "edge of your
 * seat" from zeros at 51 nats a token 80 tokens on, with most hidden units saturated, and the same text
 * after `<eos>` at 3.4.
 */
export function messageStartState(params: LstmParams, batchSize: number, startId: number): LstmState {
  return tf.tidy(() => {
    let input = tf.gather(params.embedding, tf.tensor1d([startId], 'int32')) as Tensor2D;
    const c: Tensor2D[] = [];
    const h: Tensor2D[] = [];
    const zeros = () => tf.zeros([1, params.config.hiddenSize]) as Tensor2D;
    for (const layer of params.layers) {
      const step = lstmStep(input, zeros(), zeros(), layer);
      c.push(tf.tile(step.c, [batchSize, 1]) as Tensor2D);
      h.push(tf.tile(step.h, [batchSize, 1]) as Tensor2D);
      input = step.h;
    }
    return { c, h };
  });
}

export function disposeLstmState(state: LstmState): void {
  for (const t of [...state.c, ...state.h]) t.dispose();
}

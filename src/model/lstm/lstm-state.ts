import type { Tensor2D } from '@tensorflow/tfjs';
import type { LstmModelConfig } from './lstm-params.js';
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

export function disposeLstmState(state: LstmState): void {
  for (const t of [...state.c, ...state.h]) t.dispose();
}

import type { LstmParams } from '../../src/model/lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState } from '../../src/model/lstm/lstm-state.js';
import { sequenceTargetLosses } from '../../src/model/lstm/sequence-loss.js';

/** -ln P of each target of `ids` after position `from`, read in one pass from the zero state. */
export function directLosses(params: LstmParams, ids: readonly number[], from: number): number[] {
  const T = ids.length - 1;
  const batch = {
    inputs: Int32Array.from(ids.slice(0, T)),
    targets: Int32Array.from(ids.slice(1)),
    batchSize: 1,
    seqLength: T,
  };
  const state = zeroLstmState(params.config, 1);
  const result = sequenceTargetLosses(params, batch, state);
  disposeLstmState(state);
  disposeLstmState(result.state);
  return Array.from(result.losses.slice(from));
}

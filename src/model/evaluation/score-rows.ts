/**
 * Sums a model's -ln P over chosen targets of many short sequences, each read from the zero state:
 * rows side by side in groups, longest first, read in chunks with the state carried.
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState, type LstmState } from '../lstm/lstm-state.js';
import { sequenceTargetLosses } from '../lstm/sequence-loss.js';
import { EOS_ID, UNK_ID } from '../text/special-tokens.js';

/** A sequence the LSTM reads from the zero state, its targets from position `from` + 1 on scored. */
export interface ScoredRow {
  ids: Int32Array;
  from: number;
}

/** Summed -ln P of the scored targets, and of those among them the model calls `<unk>`. */
export interface RowScores {
  lossSum: number;
  tokens: number;
  /** The part of `lossSum` (their `unknownCost` included) and of `tokens` that are `<unk>` targets. */
  unknownLossSum: number;
  unknownTokens: number;
}

/** Summed -ln P of every scored target, `unknownCost` added for a target the model calls `<unk>`. */
export function scoreRows(
  params: LstmParams,
  rows: ScoredRow[],
  unknownCost: number,
  options: { batchSize: number; chunkLength: number },
): RowScores {
  const sorted = [...rows].sort((a, b) => b.ids.length - a.ids.length);
  const total: RowScores = { lossSum: 0, tokens: 0, unknownLossSum: 0, unknownTokens: 0 };
  for (let start = 0; start < sorted.length; start += options.batchSize) {
    const group = sorted.slice(start, start + options.batchSize);
    scoreGroup(params, group, unknownCost, options.chunkLength, total);
  }
  return total;
}

/** One group of rows side by side, padded with `<eos>` (a padded position is never scored). */
function scoreGroup(
  params: LstmParams,
  group: ScoredRow[],
  unknownCost: number,
  chunkLength: number,
  total: RowScores,
): void {
  const B = group.length;
  const steps = Math.max(...group.map((row) => row.ids.length)) - 1;
  const at = (row: ScoredRow, t: number) => (t < row.ids.length ? row.ids[t]! : EOS_ID);
  let state: LstmState = zeroLstmState(params.config, B);
  try {
    for (let s = 0; s < steps; s += chunkLength) {
      const T = Math.min(chunkLength, steps - s);
      const inputs = new Int32Array(T * B);
      const targets = new Int32Array(T * B);
      group.forEach((row, b) => {
        for (let t = 0; t < T; t++) [inputs[t * B + b], targets[t * B + b]] = [at(row, s + t), at(row, s + t + 1)];
      });
      const result = sequenceTargetLosses(params, { inputs, targets, batchSize: B, seqLength: T }, state);
      disposeLstmState(state);
      state = result.state;
      group.forEach((row, b) => {
        for (let t = Math.max(0, row.from - s); t < T && s + t < row.ids.length - 1; t++) {
          const unknown = targets[t * B + b] === UNK_ID;
          const loss = result.losses[t * B + b]! + (unknown ? unknownCost : 0);
          total.lossSum += loss;
          total.tokens++;
          if (unknown)
            [total.unknownLossSum, total.unknownTokens] = [total.unknownLossSum + loss, total.unknownTokens + 1];
        }
      });
    }
  } finally {
    disposeLstmState(state);
  }
}

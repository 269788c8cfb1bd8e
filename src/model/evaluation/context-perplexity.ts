/**
 * Perplexity of messages given their preceding messages versus given nothing. Each scored message (its
 * tokens and its `<eos>`) is read by the LSTM from the zero state (a) after one `<eos>` only, and (b)
 * after `<eos>` and its preceding messages (each followed by `<eos>`: at most `contextMessages` of them,
 * of which at most the last `contextTokens` tokens): the same targets, scored both ways. The messages are
 * written in a stream vocabulary, as `evaluateOnVocabulary` scores them: a target the model lacks costs
 * -ln(p(<unk>) / K).
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { disposeLstmState, zeroLstmState, type LstmState } from '../lstm/lstm-state.js';
import { sequenceTargetLosses } from '../lstm/sequence-loss.js';
import { EOS_ID, UNK_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';

export interface ContextOptions {
  /** Preceding messages read before a scored one (default 8). */
  contextMessages?: number;
  /** At most this many of their tokens, the newest kept (default 200). */
  contextTokens?: number;
  /** Messages scored side by side (default 32). */
  batchSize?: number;
  /** Time steps per forward pass, the state carried between them (default 32). */
  chunkLength?: number;
}

export interface ContextEvaluation {
  /** Messages scored and their targets (tokens and `<eos>`). */
  messages: number;
  tokens: number;
  /** Mean tokens of context read before a scored message (with context). */
  meanContextTokens: number;
  perplexityNoContext: number;
  perplexityWithContext: number;
}

/** A sequence the LSTM reads from the zero state, its targets from position `from` + 1 on scored. */
interface ScoredRow {
  ids: Int32Array;
  from: number;
}

const defaults = { contextMessages: 8, contextTokens: 200, batchSize: 32, chunkLength: 32 };

/** Scores `messages[firstScored..]` (token ids in `streamVocab`, without `<eos>`), each both ways. */
export function contextPerplexity(
  model: { params: LstmParams; vocab: Vocabulary },
  messages: readonly Int32Array[],
  firstScored: number,
  streamVocab: Vocabulary,
  options: ContextOptions = {},
): ContextEvaluation {
  const o = { ...defaults, ...options };
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const mapped = messages.map((ids) => ids.map((id) => toModel[id]!));
  const bare: ScoredRow[] = [];
  const withContext: ScoredRow[] = [];
  let contextTokens = 0;
  for (let i = firstScored; i < messages.length; i++) {
    const context = precedingTokens(mapped, i, o.contextMessages, o.contextTokens);
    contextTokens += context.length;
    bare.push(scoredRow(new Int32Array(0), mapped[i]!));
    withContext.push(scoredRow(context, mapped[i]!));
  }
  const score = (rows: ScoredRow[]) => scoreRows(model.params, rows, Math.log(unknownSharedBy), o);
  const none = score(bare);
  const given = score(withContext);
  if (none.tokens !== given.tokens) throw new Error('context scoring disagrees on the targets');
  return {
    messages: bare.length,
    tokens: none.tokens,
    meanContextTokens: bare.length ? contextTokens / bare.length : 0,
    perplexityNoContext: Math.exp(none.lossSum / none.tokens),
    perplexityWithContext: Math.exp(given.lossSum / given.tokens),
  };
}

/** The last `maxTokens` tokens of the `count` messages before message `index`, each followed by `<eos>`. */
function precedingTokens(messages: readonly Int32Array[], index: number, count: number, maxTokens: number) {
  const ids: number[] = [];
  for (let j = Math.max(0, index - count); j < index; j++) ids.push(...messages[j]!, EOS_ID);
  return Int32Array.from(ids.slice(Math.max(0, ids.length - maxTokens)));
}

/** `<eos>`, the context, the message and its `<eos>`: the targets after the context are scored. */
function scoredRow(context: Int32Array, message: Int32Array): ScoredRow {
  const ids = Int32Array.from([EOS_ID, ...context, ...message, EOS_ID]);
  return { ids, from: context.length };
}

/** Summed -ln P of every scored target, `unknownCost` added for a target the model calls `<unk>`. */
function scoreRows(
  params: LstmParams,
  rows: ScoredRow[],
  unknownCost: number,
  options: { batchSize: number; chunkLength: number },
): { lossSum: number; tokens: number } {
  const sorted = [...rows].sort((a, b) => b.ids.length - a.ids.length);
  let lossSum = 0;
  let tokens = 0;
  for (let start = 0; start < sorted.length; start += options.batchSize) {
    const group = sorted.slice(start, start + options.batchSize);
    const scored = scoreGroup(params, group, unknownCost, options.chunkLength);
    lossSum += scored.lossSum;
    tokens += scored.tokens;
  }
  return { lossSum, tokens };
}

/** One group of rows side by side, padded with `<eos>` (a padded position is never scored). */
function scoreGroup(params: LstmParams, group: ScoredRow[], unknownCost: number, chunkLength: number) {
  const B = group.length;
  const steps = Math.max(...group.map((row) => row.ids.length)) - 1;
  const at = (row: ScoredRow, t: number) => (t < row.ids.length ? row.ids[t]! : EOS_ID);
  let state: LstmState = zeroLstmState(params.config, B);
  let lossSum = 0;
  let tokens = 0;
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
          lossSum += result.losses[t * B + b]! + (targets[t * B + b] === UNK_ID ? unknownCost : 0);
          tokens++;
        }
      });
    }
  } finally {
    disposeLstmState(state);
  }
  return { lossSum, tokens };
}

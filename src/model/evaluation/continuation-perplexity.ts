/**
 * How likely a model finds continuations of prompts (a judge of generated replies: word salad scores
 * high). Each continuation is read after `<eos>` and its prompt, from the zero state; its tokens are
 * scored, and its closing `<eos>` when it ended there. The ids are written in a stream vocabulary and
 * scored as `evaluateOnVocabulary` scores them: a target the model lacks costs -ln(p(<unk>) / K).
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { EOS_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import { scoreRows } from './score-rows.js';

export interface ScoredContinuation {
  /** The prompt's ids (without a leading `<eos>`). */
  promptIds: readonly number[];
  /** The continuation's ids (without `<eos>`). */
  ids: readonly number[];
  /** True when the continuation ended with `<eos>` (then scored too), false when it was cut off. */
  ended: boolean;
}

export interface ContinuationEvaluation {
  /** Targets scored: the continuations' tokens and the `<eos>` of those that ended. */
  tokens: number;
  perplexity: number;
  /** The perplexity of the targets the model knows (its `<unk>` targets left out, as context they stay). */
  perplexityKnown: number;
  /** Share of the scored targets the model can only call `<unk>`. */
  modelUnknownRate: number;
}

export function continuationPerplexity(
  model: { params: LstmParams; vocab: Vocabulary },
  continuations: readonly ScoredContinuation[],
  streamVocab: Vocabulary,
  options: { batchSize?: number; chunkLength?: number } = {},
): ContinuationEvaluation {
  const { toModel, unknownSharedBy } = modelIdsOnVocabulary(model.vocab, streamVocab);
  const rows = continuations.map(({ promptIds, ids, ended }) => {
    const reply = ids.map((id) => toModel[id]!);
    const row = [EOS_ID, ...promptIds.map((id) => toModel[id]!), ...reply, ...(ended ? [EOS_ID] : [])];
    return { ids: Int32Array.from(row), from: promptIds.length };
  });
  const { lossSum, tokens, unknownLossSum, unknownTokens } = scoreRows(model.params, rows, Math.log(unknownSharedBy), {
    batchSize: options.batchSize ?? 32,
    chunkLength: options.chunkLength ?? 32,
  });
  return {
    tokens,
    perplexity: Math.exp(lossSum / tokens),
    perplexityKnown: Math.exp((lossSum - unknownLossSum) / (tokens - unknownTokens)),
    modelUnknownRate: unknownTokens / tokens,
  };
}

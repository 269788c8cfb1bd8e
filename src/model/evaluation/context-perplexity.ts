/**
 * Perplexity of messages given their preceding messages versus given nothing. Each scored message (its
 * tokens and its `<eos>`) is read by the LSTM from the zero state (a) after one `<eos>` only, and (b)
 * after `<eos>` and its preceding messages (each followed by `<eos>`: at most `contextMessages` of them,
 * of which at most the last `contextTokens` tokens): the same targets, scored both ways. The messages are
 * written in a stream vocabulary, as `evaluateOnVocabulary` scores them: a target the model lacks costs
 * -ln(p(<unk>) / K).
 */
import type { LstmParams } from '../lstm/lstm-params.js';
import { EOS_ID } from '../text/special-tokens.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { modelIdsOnVocabulary } from './model-ids-on-vocabulary.js';
import { scoreRows, type ScoredRow } from './score-rows.js';

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

/**
 * The quality bench's context columns: the channel model's LSTM on each held-out message given its
 * preceding messages (the training messages before the first) versus given nothing
 * (`contextPerplexity`), in the channel's vocabulary, the base model's `<unk>` shared as elsewhere.
 */
import { contextPerplexity } from '../model/evaluation/context-perplexity.js';
import type { LstmParams } from '../model/lstm/lstm-params.js';
import { tokenize } from '../model/text/tokenize.js';
import type { Vocabulary } from '../model/text/vocabulary.js';

/** Preceding messages read before a held-out message, and at most this many of their tokens. */
const CONTEXT_MESSAGES = 8;
const CONTEXT_TOKENS = 200;

export interface ContextScores {
  context_messages: number;
  context_tokens_max: number;
  /** Mean tokens of context actually read before a held-out message. */
  context_tokens_mean: number;
  messages: number;
  /** Targets scored both ways: each held-out message's tokens and its `<eos>`. */
  tokens: number;
  perplexity_no_context: number;
  perplexity_with_context: number;
}

export function contextScores(
  model: { params: LstmParams; vocab: Vocabulary },
  train: readonly string[],
  holdout: readonly string[],
  vocab: Vocabulary,
): ContextScores {
  const texts = [...train.slice(Math.max(0, train.length - CONTEXT_MESSAGES)), ...holdout];
  const ids = texts.map((text) => Int32Array.from(tokenize(text), (token) => vocab.idOf(token)));
  const result = contextPerplexity(model, ids, texts.length - holdout.length, vocab, {
    contextMessages: CONTEXT_MESSAGES,
    contextTokens: CONTEXT_TOKENS,
  });
  return {
    context_messages: CONTEXT_MESSAGES,
    context_tokens_max: CONTEXT_TOKENS,
    context_tokens_mean: result.meanContextTokens,
    messages: result.messages,
    tokens: result.tokens,
    perplexity_no_context: result.perplexityNoContext,
    perplexity_with_context: result.perplexityWithContext,
  };
}

import { describe, expect, it } from 'vitest';
import { contextPerplexity } from '../../../../src/model/evaluation/context-perplexity.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';
import { directLosses } from '../../../helpers/direct-losses.js';

const vocab = Vocabulary.build(
  new Map([
    ['hello', 5],
    ['there', 4],
    ['npm', 3],
    ['install', 2],
  ]),
  { maxSize: 12 },
);
const [hello, there, npm, install] = ['hello', 'there', 'npm', 'install'].map((w) => vocab.idOf(w)) as number[];
const messages = [
  [hello, there],
  [npm, install, install],
  [there],
  [hello, npm, UNK_ID, install],
  [install, there, hello],
].map((ids) => Int32Array.from(ids));

/** -ln P of the targets of `ids` from position `from` + 1 on, read in one pass from the zero state. */
function directLoss(params: LstmParams, ids: number[], from: number): number {
  return directLosses(params, ids, from).reduce((sum, loss) => sum + loss, 0);
}

describe('contextPerplexity', () => {
  const params = initParams({ vocabSize: vocab.size, embeddingSize: 4, hiddenSize: 6, layers: 2 }, 7);
  const model = { params, vocab };

  it('scores each message given nothing and given its preceding messages, as one pass over each row would', () => {
    const result = contextPerplexity(model, messages, 3, vocab, { contextMessages: 2, batchSize: 2, chunkLength: 3 });
    const [m1, m2, m3, m4] = messages.slice(1).map((ids) => [...ids]) as number[][];
    const none = directLoss(params, [EOS_ID, ...m3!, EOS_ID], 0) + directLoss(params, [EOS_ID, ...m4!, EOS_ID], 0);
    const ctx3 = [...m1!, EOS_ID, ...m2!, EOS_ID];
    const ctx4 = [...m2!, EOS_ID, ...m3!, EOS_ID];
    const given =
      directLoss(params, [EOS_ID, ...ctx3, ...m3!, EOS_ID], ctx3.length) +
      directLoss(params, [EOS_ID, ...ctx4, ...m4!, EOS_ID], ctx4.length);
    expect(result.messages).toBe(2);
    expect(result.tokens).toBe(5 + 4);
    expect(result.meanContextTokens).toBe((ctx3.length + ctx4.length) / 2);
    expect(result.perplexityNoContext).toBeCloseTo(Math.exp(none / 9), 4);
    expect(result.perplexityWithContext).toBeCloseTo(Math.exp(given / 9), 4);
    expect(result.perplexityWithContext).not.toBeCloseTo(result.perplexityNoContext, 4);
  });

  it('gives the same figures whatever the batch and chunk sizes, and without context both ways alike', () => {
    const one = contextPerplexity(model, messages, 1, vocab, { batchSize: 1, chunkLength: 1 });
    const many = contextPerplexity(model, messages, 1, vocab, { batchSize: 3, chunkLength: 5 });
    expect(many.perplexityWithContext).toBeCloseTo(one.perplexityWithContext, 4);
    expect(many.perplexityNoContext).toBeCloseTo(one.perplexityNoContext, 4);
    const bare = contextPerplexity(model, messages, 1, vocab, { contextMessages: 0 });
    expect(bare.perplexityWithContext).toBeCloseTo(bare.perplexityNoContext, 6);
  });

  it('reads at most contextTokens tokens of context, the newest', () => {
    const capped = contextPerplexity(model, messages, 4, vocab, { contextMessages: 4, contextTokens: 3 });
    expect(capped.meanContextTokens).toBe(3);
    // The last 3 tokens before message 4 (install there hello): <unk> install <eos>.
    const loss = directLoss(params, [EOS_ID, UNK_ID, install!, EOS_ID, install!, there!, hello!, EOS_ID], 3);
    expect(capped.perplexityWithContext).toBeCloseTo(Math.exp(loss / 4), 4);
  });

  it('frees its weights', () => disposeParams(params));
});

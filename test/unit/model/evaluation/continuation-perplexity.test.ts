import { afterAll, describe, expect, it } from 'vitest';
import { continuationPerplexity } from '../../../../src/model/evaluation/continuation-perplexity.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';
import { directLosses } from '../../../helpers/direct-losses.js';

const words = new Map([
  ['hello', 5],
  ['there', 4],
  ['npm', 3],
  ['install', 2],
]);
const vocab = Vocabulary.build(words, { maxSize: 20 });
/** The judge's vocabulary lacks "install": it can only call it <unk>. */
const judgeVocab = Vocabulary.build(new Map([...words].filter(([w]) => w !== 'install')), { maxSize: 20 });
const [hello, there, npm, install] = ['hello', 'there', 'npm', 'install'].map((w) => vocab.idOf(w)) as [
  number,
  number,
  number,
  number,
];
const params = initParams({ vocabSize: judgeVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 3);
afterAll(() => disposeParams(params));

describe('continuationPerplexity', () => {
  const toJudge = (id: number) => judgeVocab.idOf(vocab.tokenOf(id));

  it("scores each continuation's tokens after its prompt, and its <eos> when it ended there", () => {
    const continuations = [
      { promptIds: [hello], ids: [there, npm], ended: true },
      { promptIds: [npm, there], ids: [hello], ended: false },
    ];
    const result = continuationPerplexity({ params, vocab: judgeVocab }, continuations, vocab, { chunkLength: 2 });
    const losses = [
      ...directLosses(params, [EOS_ID, hello, there, npm, EOS_ID].map(toJudge), 1),
      ...directLosses(params, [EOS_ID, npm, there, hello].map(toJudge), 2),
    ];
    expect(result.tokens).toBe(4);
    expect(result.modelUnknownRate).toBe(0);
    expect(Math.log(result.perplexity)).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / 4, 5);
    expect(result.perplexityKnown).toBeCloseTo(result.perplexity, 5);
  });

  it("shares the judge's <unk> among the words it lacks, and leaves them out of the known perplexity", () => {
    const result = continuationPerplexity(
      { params, vocab: judgeVocab },
      [{ promptIds: [npm], ids: [install, hello], ended: false }],
      vocab,
    );
    const [unknown, known] = directLosses(params, [EOS_ID, npm, UNK_ID, hello].map(toJudge), 1) as [number, number];
    // K = 2: the word the judge lacks and the stream's own <unk>.
    expect(Math.log(result.perplexity)).toBeCloseTo((unknown + Math.log(2) + known) / 2, 5);
    expect(Math.log(result.perplexityKnown)).toBeCloseTo(known, 5);
    expect(result.modelUnknownRate).toBe(0.5);
  });
});

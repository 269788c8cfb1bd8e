import { describe, expect, it } from 'vitest';
import { evaluateOnVocabulary } from '../../../../src/model/evaluation/evaluate-on-vocabulary.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { targetProbabilitiesOnVocabulary } from '../../../../src/model/evaluation/target-probabilities.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const baseVocab = Vocabulary.build(
  new Map([
    ['hello', 5],
    ['there', 4],
  ]),
  { maxSize: 12 },
);
const channelVocab = baseVocab.withAddedTokens(['npm', 'sudo']);
const ids = ['hello', 'npm', 'there', 'sudo'].map((w) => channelVocab.idOf(w));
const stream = Int32Array.from({ length: 45 }, (_, k) => [...ids, UNK_ID, EOS_ID][k % 6]!);

describe('targetProbabilitiesOnVocabulary', () => {
  it('gives per position what evaluateOnVocabulary sums, <unk> shared among the words a model lacks', () => {
    const params = initParams({ vocabSize: baseVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 7);
    const options = { batchSize: 3, seqLength: 4 };
    const probabilities = targetProbabilitiesOnVocabulary({ params, vocab: baseVocab }, stream, channelVocab, options);
    const evaluation = evaluateOnVocabulary({ params, vocab: baseVocab }, stream, channelVocab, options);
    expect(probabilities.length).toBe(evaluation.tokens);
    const loss = probabilities.reduce((sum, p) => sum - Math.log(p), 0) / probabilities.length;
    expect(loss).toBeCloseTo(evaluation.loss, 5);
    disposeParams(params);
  });
});

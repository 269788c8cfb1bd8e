import { describe, expect, it } from 'vitest';
import { evaluateOnVocabulary } from '../../../../src/model/evaluation/evaluate-on-vocabulary.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { evaluateModel } from '../../../../src/model/evaluation/evaluate-model.js';
import { scoredPositions } from '../../../../src/model/evaluation/scored-positions.js';
import {
  evaluateTargets,
  targetProbabilities,
  targetProbabilitiesOnVocabulary,
} from '../../../../src/model/evaluation/target-probabilities.js';
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

describe('evaluateTargets', () => {
  const options = { batchSize: 3, seqLength: 4 };

  it("is evaluateModel's evaluation with each scored target's probability, at scoredPositions", () => {
    const params = initParams({ vocabSize: channelVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 3);
    const targets = evaluateTargets(params, stream, options);
    const evaluation = evaluateModel(params, stream, options);
    expect(targets.tokens).toBe(evaluation.tokens);
    expect(targets.loss).toBeCloseTo(evaluation.loss, 5);
    expect(targets.perplexity).toBeCloseTo(Math.exp(targets.loss), 9);
    expect([...targets.positions]).toEqual([...scoredPositions(stream, 3, 4)]);
    expect([...targets.probabilities]).toEqual([...targetProbabilities(params, stream, options)]);
    disposeParams(params);
  });

  it('stopped early, gives the positions of the batches it reached, in the same order', () => {
    const params = initParams({ vocabSize: channelVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 3);
    const full = evaluateTargets(params, stream, options);
    const cut = evaluateTargets(params, stream, { ...options, stopAt: 0 });
    // One batch: the first 4 targets of each of the 3 stripes.
    expect(cut.tokens).toBe(12);
    const index = (position: number) => full.positions.indexOf(position);
    expect([...cut.probabilities]).toEqual([...cut.positions].map((position) => full.probabilities[index(position)]));
    expect([...cut.positions].every((position, i) => i === 0 || position > cut.positions[i - 1]!)).toBe(true);
    const loss = cut.probabilities.reduce((sum, p) => sum - Math.log(p), 0) / cut.tokens;
    expect(cut.loss).toBeCloseTo(loss, 9);
    disposeParams(params);
  });
});

import { describe, expect, it } from 'vitest';
import { LstmBatchStepper } from '../../../../src/model/lstm/lstm-batch-stepper.js';
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
    const { probabilities } = targetProbabilitiesOnVocabulary(
      { params, vocab: baseVocab },
      stream,
      channelVocab,
      options,
    );
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

  it('scores every token of a stripe but its first, the rest that fills no whole batch too', () => {
    const params = initParams({ vocabSize: channelVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 5);
    // 45 tokens in 3 stripes of 15: 14 targets each, 3 batches of 4 and a rest of 2 (before: 12 each).
    const inBatchesOf4 = evaluateTargets(params, stream, options);
    expect(inBatchesOf4.tokens).toBe(42);
    const stripes = [0, 15, 30].flatMap((start) => Array.from({ length: 14 }, (_, k) => start + k + 1));
    expect([...scoredPositions(stream, 3, 4)]).toEqual(stripes);
    // The same positions read in one batch of 14: the same probabilities, the state carried alike.
    const inOneBatch = evaluateTargets(params, stream, { batchSize: 3, seqLength: 14 });
    expect([...inOneBatch.positions]).toEqual([...inBatchesOf4.positions]);
    inOneBatch.probabilities.forEach((p, i) => expect(inBatchesOf4.probabilities[i]).toBeCloseTo(p, 6));
    expect(evaluateModel(params, stream, options).tokens).toBe(42);
    disposeParams(params);
  });

  it("with `hidden`, keeps at each position the top layer's state that predicted it, stripe by stripe", () => {
    const params = initParams({ vocabSize: channelVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 2 }, 3);
    const { hidden, positions, probabilities } = evaluateTargets(params, stream, { ...options, hidden: true });
    // Reading the tails changes no score.
    expect([...probabilities]).toEqual([...evaluateTargets(params, stream, options).probabilities]);
    expect(hidden!.width).toBe(6);
    expect(hidden!.values.length).toBe(stream.length * 6);
    expect([...hidden!.values.subarray(0, 6)]).toEqual([0, 0, 0, 0, 0, 0]);
    // Stripe b reads stream[b * S ..] from the state after <eos> (as a reply starts): the states the
    // sampler's stepper gets reading <eos> and then that stretch alone (each id's key: the state that
    // predicted it), for every position of the stripe, those past its last batch too (read on from its
    // last state).
    const S = Math.floor(stream.length / 3);
    const stepper = new LstmBatchStepper(params, [0, 1], { precision: 'float32' });
    for (const b of [0, 1, 2]) {
      const read = [...stream.subarray(b * S, Math.min(stream.length, (b + 1) * S + 1))];
      const started = stepper.start([[EOS_ID, ...read]], [1], { hidden: true });
      stepper.release(started.batch);
      const stripe = read.map((_, k) => b * S + k).filter((p) => p > b * S);
      expect(positions.filter((p) => p > b * S && p <= (b + 1) * S).length).toBe(S - 1);
      for (const position of stripe) {
        const at = (position - b * S + 1) * 6;
        const expected = [...started.hidden![0]!.subarray(at, at + 6)];
        [...hidden!.values.subarray(position * 6, position * 6 + 6)].forEach((v, k) =>
          expect(v).toBeCloseTo(expected[k]!, 5),
        );
      }
    }
    stepper.dispose();
    expect(evaluateTargets(params, stream, options).hidden).toBeUndefined();
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

import type { Tensor1D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../../src/model/evaluation/evaluate-model.js';
import { evaluateOnVocabulary } from '../../../../src/model/evaluation/evaluate-on-vocabulary.js';
import { growVocabulary } from '../../../../src/model/training/grow-vocabulary.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const baseVocab = Vocabulary.build(
  new Map([
    ['hello', 5],
    ['there', 4],
  ]),
  { maxSize: 12 },
);
const channelVocab = baseVocab.withAddedTokens(['npm', 'sudo', 'install']);
const [hello, there, npm, sudo, install] = ['hello', 'there', 'npm', 'sudo', 'install'].map((w) =>
  channelVocab.idOf(w),
);
const stream = Int32Array.from(
  Array.from({ length: 40 }, (_, k) => [hello!, npm!, there!, UNK_ID, sudo!, install!, EOS_ID][k % 7]!),
);
const options = { batchSize: 2, seqLength: 4 };

describe('evaluateOnVocabulary', () => {
  it('scores a model that lacks channel words as its <unk> probability shared among them and <unk>', () => {
    const base = initParams({ vocabSize: baseVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 3);
    // The base with its <unk> output copied to each channel word and every copy's bias lowered by ln 4
    // (growVocabulary, and <unk> itself lowered too) is the shared distribution written out: it has every
    // word, and must score what the base scores on the channel's vocabulary.
    const copied = growVocabulary(base, 3);
    const lower = tf.tensor1d(Array.from({ length: channelVocab.size }, (_, id) => (id === UNK_ID ? Math.log(4) : 0)));
    const grown = { ...copied, outputBias: tf.sub(copied.outputBias, lower) as Tensor1D };
    lower.dispose();
    copied.outputBias.dispose();
    const onChannel = evaluateOnVocabulary({ params: base, vocab: baseVocab }, stream, channelVocab, options);
    const grownScore = evaluateOnVocabulary({ params: grown, vocab: channelVocab }, stream, channelVocab, options);
    expect(onChannel.unknownSharedBy).toBe(4);
    expect(grownScore.unknownSharedBy).toBe(1);
    expect(onChannel.perplexity).toBeCloseTo(grownScore.perplexity, 3);
    expect(grownScore.loss).toBeCloseTo(evaluateModel(grown, stream, options).loss, 10);
    disposeParams(grown);
    disposeParams(base);
  });

  it('adds ln K per target the model cannot name to what evaluateModel gives on its own ids', () => {
    const base = initParams({ vocabSize: baseVocab.size, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 5);
    const result = evaluateOnVocabulary({ params: base, vocab: baseVocab }, stream, channelVocab, options);
    const baseIds = stream.map((id) => baseVocab.idOf(channelVocab.tokenOf(id)));
    const plain = evaluateModel(base, baseIds, options);
    expect(result.tokens).toBe(plain.tokens);
    expect(result.modelUnknownRate).toBeGreaterThan(result.unknownRate);
    expect(result.unknownRate).toBeGreaterThan(0);
    expect(result.loss).toBeCloseTo(plain.loss + result.modelUnknownRate * Math.log(4), 10);
    disposeParams(base);
  });
});

import { describe, expect, it } from 'vitest';
import { growVocabulary } from '../../../../src/model/training/grow-vocabulary.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { tf } from '../../../../src/model/lstm/tf.js';

describe('growVocabulary', () => {
  it('keeps every old row and starts each new word from <unk>, sharing out its bias', () => {
    const base = initParams({ vocabSize: 12, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 1);
    const before = tf.memory().numTensors;
    const grown = growVocabulary(base, 3);
    expect(tf.memory().numTensors - before).toBe(5);
    expect(grown.config.vocabSize).toBe(15);
    expect(grown.embedding.shape).toEqual([15, 4]);
    expect(grown.outputKernel!.shape).toEqual([6, 15]);
    const embedding = grown.embedding.arraySync();
    const oldEmbedding = base.embedding.arraySync();
    expect(embedding.slice(0, 12)).toEqual(oldEmbedding);
    for (const row of embedding.slice(12)) expect(row).toEqual(oldEmbedding[UNK_ID]);
    const bias = grown.outputBias.arraySync();
    const oldBias = base.outputBias.arraySync();
    expect(bias.slice(0, 12)).toEqual(oldBias);
    expect(bias[13]).toBeCloseTo(oldBias[UNK_ID]! - Math.log(4), 5);
    const kernel = grown.outputKernel!.arraySync();
    for (const row of kernel) expect(row[14]).toBe(row[UNK_ID]);
    disposeParams(grown);
    disposeParams(base);
  });
});

import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { cloneParams } from '../lstm/clone-params.js';
import type { LstmParams } from '../lstm/lstm-params.js';
import { UNK_ID } from '../text/special-tokens.js';
import { tf } from '../lstm/tf.js';

/**
 * The weights for a vocabulary grown by `added` tokens appended at the end (`Vocabulary.withAddedTokens`):
 * each new token starts as the base model's `<unk>` (its embedding row and output column, which
 * stood for those words until now), with the `<unk>` output bias shared out among them (minus
 * ln(added + 1)), so the grown model starts close to the base model and training tells the words apart.
 * In a tied model the output column follows from the embedding row (`tied-output.ts`).
 * Returns new tensors; `params` are left as they are.
 */
export function growVocabulary(params: LstmParams, added: number): LstmParams {
  const { vocabSize } = params.config;
  if (added === 0) return cloneParams(params);
  return tf.tidy(() => {
    const unkRow = params.embedding.slice([UNK_ID, 0], [1, -1]);
    const embedding = tf.concat([params.embedding, tf.tile(unkRow, [added, 1])], 0) as Tensor2D;
    const unkBias = params.outputBias.slice([UNK_ID], [1]).sub(Math.log(added + 1));
    const outputBias = tf.concat([params.outputBias, tf.tile(unkBias, [added])], 0) as Tensor1D;
    const common = {
      config: { ...params.config, vocabSize: vocabSize + added },
      embedding,
      layers: params.layers.map((layer) => ({ kernel: tf.clone(layer.kernel), bias: tf.clone(layer.bias) })),
      outputBias,
    };
    return params.outputProjection
      ? { ...common, outputProjection: tf.clone(params.outputProjection) }
      : { ...common, outputKernel: withUnkColumns(params.outputKernel, added) };
  });
}

/** `kernel` [hidden, vocab] with `added` copies of its `<unk>` column appended. */
function withUnkColumns(kernel: Tensor2D, added: number): Tensor2D {
  const unkColumn = kernel.slice([0, UNK_ID], [-1, 1]);
  return tf.concat([kernel, tf.tile(unkColumn, [1, added])], 1);
}

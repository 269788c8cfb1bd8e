import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmModelConfig, LstmParams } from '../model/lstm/lstm-params.js';
import { tf } from '../model/lstm/tf.js';

/**
 * Seeded random weights of the given sizes, for benchmarks and tests of sampling speed and
 * mechanics (not for training: see the model's own initialisation). `logitScale` widens the output
 * logits so that the next-token distribution is peaked, as in a trained model.
 */
export function randomLstmParams(config: LstmModelConfig, seed = 1, logitScale = 1): LstmParams {
  if (config.tiedEmbedding) throw new Error('randomLstmParams makes untied weights only');
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = config;
  return tf.tidy(() => ({
    config: { ...config },
    embedding: tf.randomNormal([V, E], 0, 1, 'float32', seed) as Tensor2D,
    layers: Array.from({ length: config.layers }, (_, l) => {
      const inputSize = l === 0 ? E : H;
      return {
        kernel: tf.randomNormal(
          [inputSize + H, 4 * H],
          0,
          1 / Math.sqrt(inputSize + H),
          'float32',
          seed + 1 + l,
        ) as Tensor2D,
        bias: tf.randomNormal([4 * H], 0, 0.1, 'float32', seed + 101 + l) as Tensor1D,
      };
    }),
    outputKernel: tf.randomNormal([H, V], 0, logitScale / Math.sqrt(H), 'float32', seed + 201) as Tensor2D,
    outputBias: tf.randomNormal([V], 0, 0.1, 'float32', seed + 202) as Tensor1D,
  }));
}

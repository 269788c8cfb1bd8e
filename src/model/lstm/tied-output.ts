/**
 * Tied input and output embeddings (Press and Wolf 2017; Inan et al. 2017): the output layer's kernel
 * is not a weight of its own but W = P E^T, the projection P [hidden, embedding] of the hidden state
 * into the embedding space scored against every word's embedding E [vocab, embedding]. A word then
 * has one vector, learnt from where it is read and where it is predicted, and a word a channel adds
 * (`growVocabulary`) learns both roles at once.
 *
 * W is never made: training, evaluation and sampling multiply by the two factors in turn, (h P) E^T,
 * a product of depth embedding instead of hidden over the vocabulary (half the work at the shipped
 * sizes, and no [hidden, vocab] tensor to keep, remake after each update, or differentiate through).
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import { cloneParams } from './clone-params.js';
import type { LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

/** W = P E^T: [hidden, embedding] x [embedding, vocab], the kernel a tied model stands for (no code path makes it; tests compare with it). */
export function tiedOutputKernel(projection: Tensor2D, embedding: Tensor2D): Tensor2D {
  return tf.matMul(projection, embedding, false, true);
}

/**
 * The weights of the output layer: an untied model's W, or a tied model's P and E. The layer is one
 * product, features [rows, depth] times kernel [depth, vocab] (plus the bias): for an untied model
 * `hTop` and W, for a tied one h P and E^T (the two functions below; use them inside `tf.tidy`).
 */
export type OutputLayerWeights = Pick<LstmParams, 'embedding' | 'outputKernel' | 'outputProjection'>;

/** The output layer's features: `hTop` itself (untied), or h P (tied). */
export function outputFeatures(weights: OutputLayerWeights, hTop: Tensor2D): Tensor2D {
  return weights.outputProjection ? tf.matMul(hTop, weights.outputProjection) : hTop;
}

/** The output layer's kernel: W (untied), or E^T (tied, a transposed copy). */
export function outputKernelOf(weights: OutputLayerWeights): Tensor2D {
  return weights.outputProjection ? tf.transpose(weights.embedding) : weights.outputKernel!;
}

/**
 * An untied model made tied, to continue training from: E and the LSTM are kept, P is the least-squares
 * fit of W by P E^T (P = W E (E^T E)^-1) and the bias is kept. The fit is poor (a separately trained W
 * is far from rank `embedding`), so the model must be trained on; its LSTM and embeddings are what
 * carry over. Returns new tensors; `params` are left as they are.
 */
export function tieParams(params: LstmParams): LstmParams {
  if (params.outputProjection) throw new Error('the model is tied already');
  const E = params.config.embeddingSize;
  const gram = tf.tidy(() => tf.matMul(params.embedding, params.embedding, true, false));
  const gramValues = Float64Array.from(gram.dataSync());
  gram.dispose();
  const inverse = invertSymmetric(gramValues, E);
  const outputProjection = tf.tidy(() => {
    const inverseTensor = tf.tensor2d(Float32Array.from(inverse), [E, E]);
    return tf.matMul(tf.matMul(params.outputKernel!, params.embedding), inverseTensor) as Tensor2D;
  });
  const { outputKernel: untied, ...kept } = cloneParams(params);
  untied?.dispose();
  return { ...kept, config: { ...kept.config, tiedEmbedding: true }, outputProjection };
}

/** The inverse of a symmetric positive-definite n x n matrix (row-major), by Gauss-Jordan elimination. */
function invertSymmetric(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inverse[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    if (a[pivot * n + col] === 0) throw new Error('the embedding has dependent columns: cannot tie it');
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[col * n + k]!];
        [inverse[col * n + k], inverse[pivot * n + k]] = [inverse[pivot * n + k]!, inverse[col * n + k]!];
      }
    }
    const scale = 1 / a[col * n + col]!;
    for (let k = 0; k < n; k++) {
      a[col * n + k]! *= scale;
      inverse[col * n + k]! *= scale;
    }
    for (let r = 0; r < n; r++) {
      const factor = a[r * n + col]!;
      if (r === col || factor === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k]! -= factor * a[col * n + k]!;
        inverse[r * n + k]! -= factor * inverse[col * n + k]!;
      }
    }
  }
  return inverse;
}

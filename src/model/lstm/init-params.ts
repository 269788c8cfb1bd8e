/**
 * Fresh, seeded weights for a model of the given sizes (same seed, same weights, on any backend):
 * embedding N(0, 1) (U(-0.05, 0.05), the Keras default, learns far slower here); LSTM input weights
 * Glorot-uniform, recurrent weights orthogonal per gate, forget-gate bias 1; output Glorot-uniform
 * (a tied model's projection scaled so that P E^T starts at the same scale), output bias 0.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmModelConfig, LstmParams } from './lstm-params.js';
import { tf } from './tf.js';
import { mulberry32 } from './mulberry32.js';

export function initParams(config: LstmModelConfig, seed = 1): LstmParams {
  const random = mulberry32(seed);
  const normal = normalSampler(random);
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = config;

  const embedding = new Float32Array(V * E);
  for (let k = 0; k < embedding.length; k++) embedding[k] = normal();

  const layers = Array.from({ length: config.layers }, (_, l) => {
    const inputSize = l === 0 ? E : H;
    const kernel = new Float32Array((inputSize + H) * 4 * H);
    const limit = Math.sqrt(6 / (inputSize + 4 * H));
    for (let k = 0; k < inputSize * 4 * H; k++) kernel[k] = (2 * random() - 1) * limit;
    for (let gate = 0; gate < 4; gate++) {
      const q = orthogonal(H, normal);
      for (let r = 0; r < H; r++) {
        for (let col = 0; col < H; col++) kernel[(inputSize + r) * 4 * H + gate * H + col] = q[r * H + col]!;
      }
    }
    const bias = new Float32Array(4 * H);
    bias.fill(1, 2 * H, 3 * H); // gate order i, ci, f, o: the forget gate is the third block
    return {
      kernel: tf.tensor2d(kernel, [inputSize + H, 4 * H]) as Tensor2D,
      bias: tf.tensor1d(bias) as Tensor1D,
    };
  });

  const embeddingTensor = tf.tensor2d(embedding, [V, E]);
  const outputBias = tf.zeros([V]) as Tensor1D;
  if (config.tiedEmbedding) {
    // P E^T with E ~ N(0, 1): P Glorot-uniform scaled by 1/sqrt(E) keeps the logits as an untied kernel's.
    const projection = new Float32Array(H * E);
    const limit = Math.sqrt(6 / (H + V)) / Math.sqrt(E);
    for (let k = 0; k < projection.length; k++) projection[k] = (2 * random() - 1) * limit;
    const outputProjection = tf.tensor2d(projection, [H, E]);
    return { config: { ...config }, embedding: embeddingTensor, layers, outputProjection, outputBias };
  }
  const outputKernel = new Float32Array(H * V);
  const limit = Math.sqrt(6 / (H + V));
  for (let k = 0; k < outputKernel.length; k++) outputKernel[k] = (2 * random() - 1) * limit;

  return {
    config: { ...config },
    embedding: embeddingTensor,
    layers,
    outputKernel: tf.tensor2d(outputKernel, [H, V]),
    outputBias,
  };
}

/** A random n x n orthogonal matrix (row-major): Gram-Schmidt on Gaussian rows. */
function orthogonal(n: number, normal: () => number): Float64Array {
  const q = new Float64Array(n * n);
  for (let k = 0; k < q.length; k++) q[k] = normal();
  for (let r = 0; r < n; r++) {
    const row = q.subarray(r * n, (r + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < r; p++) {
        const prev = q.subarray(p * n, (p + 1) * n);
        let dot = 0;
        for (let k = 0; k < n; k++) dot += row[k]! * prev[k]!;
        for (let k = 0; k < n; k++) row[k]! -= dot * prev[k]!;
      }
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += row[k]! * row[k]!;
    norm = Math.sqrt(norm);
    for (let k = 0; k < n; k++) row[k]! /= norm;
  }
  return q;
}

function normalSampler(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - random();
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** The files of a model folder. */
export const MODEL_FILES = {
  card: 'card.json',
  vocab: 'vocab.json',
  /** Weights manifest in TensorFlow.js's format (`weightsManifest` with `paths` and `weights` specs). */
  manifest: 'model.json',
  weights: 'weights.bin',
} as const;

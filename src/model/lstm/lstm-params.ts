import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LstmLayerParams } from './lstm-block-cell.js';

/** Sizes of a word-level LSTM language model; saved in its model card. */
export interface LstmModelConfig {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  /** Stacked LSTM layers: 1 or 2. */
  layers: number;
  /** The output layer is P E^T, its words' vectors the embedding's (`tied-output.ts`); absent: false. */
  tiedEmbedding?: boolean;
}

/**
 * The weights of a model, shared by training, sampling and the model store:
 * embedding [vocab, embedding] -> LSTM layer(s) (see `lstm-block-cell.ts` for the gate layout)
 * -> output kernel [hidden, vocab] + bias [vocab] giving next-token logits. A tied model
 * (`config.tiedEmbedding`) has no kernel of its own: its kernel is P E^T, `outputProjection`
 * P [hidden, embedding] times the embedding transposed, and every user multiplies by the two
 * factors in turn, (h P) E^T, never by their product (`tied-output.ts`).
 */
export type LstmParams = LstmWeights & OutputWeights;

interface LstmWeights {
  config: LstmModelConfig;
  embedding: Tensor2D;
  layers: LstmLayerParams[];
  outputBias: Tensor1D;
}

/** An untied model's kernel W [hidden, vocab], or a tied model's projection P [hidden, embedding]. */
type OutputWeights =
  { outputKernel: Tensor2D; outputProjection?: undefined } | { outputProjection: Tensor2D; outputKernel?: undefined };

/** Every weight of a model, in the order the store writes them. */
export function paramTensors(params: LstmParams): { name: string; tensor: Tensor1D | Tensor2D }[] {
  return [
    { name: 'embedding', tensor: params.embedding },
    ...params.layers.flatMap((layer, i) => [
      { name: `lstm_${i}/kernel`, tensor: layer.kernel },
      { name: `lstm_${i}/bias`, tensor: layer.bias },
    ]),
    params.outputProjection
      ? { name: 'output/projection', tensor: params.outputProjection }
      : { name: 'output/kernel', tensor: params.outputKernel },
    { name: 'output/bias', tensor: params.outputBias },
  ];
}

export function disposeParams(params: LstmParams): void {
  for (const { tensor } of paramTensors(params)) tensor.dispose();
}

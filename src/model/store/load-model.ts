/**
 * Reads a model folder written by `saveModel`: the weights (float32 or float16 on disk, float32 in
 * memory) through `tf.io.fromMemory` and `tf.io.decodeWeights`, the vocabulary and the model card.
 * This is what the sampler and the evaluation use to get a model.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { ModelCard } from './model-card.js';
import { MODEL_FILES } from './model-files.js';
import { readNgramMixer } from './ngram-file.js';
import { readCopyGuard } from './copy-guard-file.js';
import type { CopyGuard } from '../sampling/copy-guard.js';
import type { NgramMixer } from '../sampling/ngram-mixer.js';
import { paramTensors, type LstmModelConfig, type LstmParams } from '../lstm/lstm-params.js';
import { tf } from '../lstm/tf.js';
import { Vocabulary } from '../text/vocabulary.js';
import { CodedError, isCodedError } from '../../errors/coded-error.js';

export interface LoadedModel {
  /** The weights; the caller owns them (`disposeParams`). */
  params: LstmParams;
  vocab: Vocabulary;
  card: ModelCard;
  /** The channel's n-gram to sample the mixture from, when the folder has one (`ngram-file.ts`). */
  mixer?: NgramMixer;
  /** The channel's 6-grams the sampler never completes verbatim, when the folder has them (`copy-guard-file.ts`). */
  copyGuard?: CopyGuard;
}

/** Loads the model in `dir`; throws a `CodedError` (`MODEL_NOT_FOUND`, `MODEL_INVALID`) naming the problem. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const read = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'MODEL_NOT_FOUND' : 'MODEL_INVALID';
      throw new CodedError(code, `no model in ${dir}: cannot read ${file}`, { cause: error });
    }
  };
  const invalid = (problem: string, cause?: unknown): CodedError =>
    new CodedError('MODEL_INVALID', `invalid model in ${dir}: ${problem}`, { cause });
  const json = (buffer: Buffer, file: string): unknown => {
    try {
      return JSON.parse(buffer.toString('utf8'));
    } catch (error) {
      throw invalid(`${file} is not valid JSON`, error);
    }
  };

  const card = json(await read(MODEL_FILES.card), MODEL_FILES.card) as ModelCard;
  if (card?.format !== 'lstm-bot-model' || card.formatVersion !== 1)
    throw invalid('card.json is not an lstm-bot model card (format 1)');
  const config = card.config;
  const manifest = json(await read(MODEL_FILES.manifest), MODEL_FILES.manifest) as {
    weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  };
  const group = manifest.weightsManifest?.[0];
  if (!group || group.paths[0] !== MODEL_FILES.weights) throw invalid('model.json has no weights manifest');
  let vocab: Vocabulary;
  try {
    vocab = Vocabulary.fromJSON(json(await read(MODEL_FILES.vocab), MODEL_FILES.vocab));
  } catch (error) {
    if (isCodedError(error, 'MODEL_NOT_FOUND', 'MODEL_INVALID')) throw error;
    throw invalid((error as Error).message, error);
  }
  if (vocab.size !== config.vocabSize)
    throw invalid(`vocab.json has ${vocab.size} tokens, the model ${config.vocabSize}`);

  const weights = await read(MODEL_FILES.weights);
  const artifacts = await tf.io.fromMemory({
    modelTopology: { config },
    weightSpecs: group.weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }).load!();
  let named: Record<string, Tensor>;
  try {
    named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  } catch (error) {
    throw invalid(`weights.bin does not match model.json (${(error as Error).message})`, error);
  }
  const extras = await samplingExtras(dir, card, vocab).catch((error: unknown) => {
    for (const tensor of Object.values(named)) tensor.dispose();
    throw error;
  });
  try {
    return { params: withoutUnused(assemble(named, config), named), vocab, card, ...extras };
  } catch (error) {
    for (const tensor of Object.values(named)) tensor.dispose();
    throw invalid((error as Error).message, error);
  }
}

/** A channel model's n-gram mixture and copy guard, those its card names. */
async function samplingExtras(
  dir: string,
  card: ModelCard,
  vocab: Vocabulary,
): Promise<Pick<LoadedModel, 'mixer' | 'copyGuard'>> {
  const [mixer, copyGuard] = await Promise.all([readNgramMixer(dir, card), readCopyGuard(dir, card, vocab)]);
  return { ...(mixer && { mixer }), ...(copyGuard && { copyGuard }) };
}

/** Frees the weights of the file the model does not use (a tied model's file with a kernel too). */
function withoutUnused(params: LstmParams, named: Record<string, Tensor>): LstmParams {
  const used = new Set<Tensor>(paramTensors(params).map(({ tensor }) => tensor));
  for (const tensor of Object.values(named)) if (!used.has(tensor)) tensor.dispose();
  return params;
}

function assemble(named: Record<string, Tensor>, config: LstmModelConfig): LstmParams {
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = config;
  const take = <T extends Tensor>(name: string, shape: number[]): T => {
    const tensor = named[name];
    if (!tensor) throw new Error(`weight ${name} is missing`);
    if (tensor.shape.join(',') !== shape.join(',')) {
      throw new Error(`weight ${name} has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return tensor as T;
  };
  const embedding = take<Tensor2D>('embedding', [V, E]);
  const layers = Array.from({ length: config.layers }, (_, l) => ({
    kernel: take<Tensor2D>(`lstm_${l}/kernel`, [(l === 0 ? E : H) + H, 4 * H]),
    bias: take<Tensor1D>(`lstm_${l}/bias`, [4 * H]),
  }));
  const outputBias = take<Tensor1D>('output/bias', [V]);
  if (!config.tiedEmbedding) {
    return {
      config: { ...config },
      embedding,
      layers,
      outputKernel: take<Tensor2D>('output/kernel', [H, V]),
      outputBias,
    };
  }
  const outputProjection = take<Tensor2D>('output/projection', [H, E]);
  return { config: { ...config }, embedding, layers, outputProjection, outputBias };
}

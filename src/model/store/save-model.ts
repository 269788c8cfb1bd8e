/**
 * Writes a model folder atomically: every file goes into a temporary folder beside the target, which
 * then replaces the target by rename (an existing model is moved aside first and removed only after
 * the new one is in place, so a failure leaves the old model intact).
 *
 * Folder: `card.json` (model card), `vocab.json`, `model.json` (TensorFlow.js weights manifest) and
 * `weights.bin` (float32, or float16 halves the size; loaded back as float32).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { float16 } from './float16.js';
import type { ModelCard } from './model-card.js';
import { MODEL_FILES } from './model-files.js';
import { paramTensors, type LstmParams } from '../lstm/lstm-params.js';
import { tf } from '../lstm/tf.js';
import type { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

export interface ModelToSave {
  params: LstmParams;
  vocab: Vocabulary;
  /** The card; `weights` is filled in by the store. */
  card: Omit<ModelCard, 'weights'>;
  /** Further files of the folder by name (a channel model's `ngram.bin`), written with the rest. */
  files?: Readonly<Record<string, Uint8Array>>;
}

export interface SaveModelOptions {
  /** Store weights as float16 (half the size, about 3 significant digits). */
  float16?: boolean;
}

/** Saves `model` to `dir` (replacing any model there) and returns the card as written. */
export async function saveModel(dir: string, model: ModelToSave, options: SaveModelOptions = {}): Promise<ModelCard> {
  const target = resolve(dir);
  const dtype = options.float16 ? 'float16' : 'float32';
  const specs: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const { name, tensor } of paramTensors(model.params)) {
    const values = tensor.dataSync() as Float32Array;
    const spec: io.WeightsManifestEntry = { name, shape: tensor.shape, dtype: 'float32' };
    if (options.float16) {
      spec.quantization = { dtype: 'float16' };
      chunks.push(new Uint8Array(float16(values).buffer));
    } else {
      chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
    specs.push(spec);
  }
  const weightData = Buffer.concat(chunks);
  const card: ModelCard = {
    ...model.card,
    weights: { file: MODEL_FILES.weights, dtype, bytes: weightData.byteLength },
  };

  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(temp);
    const manifest = {
      format: 'lstm-bot-weights',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs }],
    };
    await writeFile(join(temp, MODEL_FILES.weights), weightData);
    await writeFile(join(temp, MODEL_FILES.manifest), `${JSON.stringify(manifest)}\n`);
    await writeFile(join(temp, MODEL_FILES.vocab), `${JSON.stringify(model.vocab.toJSON())}\n`);
    await writeFile(join(temp, MODEL_FILES.card), `${JSON.stringify(card, null, 2)}\n`);
    for (const [name, bytes] of Object.entries(model.files ?? {})) await writeFile(join(temp, name), bytes);
    return {
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength },
    };
  });
  try {
    await handler.save!({
      modelTopology: { config: card.config },
      weightSpecs: specs,
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    });
    await replaceFolder(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new CodedError('MODEL_WRITE_FAILED', `could not save the model to ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return card;
}

async function replaceFolder(temp: string, target: string): Promise<void> {
  const aside = `${temp}.old`;
  let movedAside = false;
  try {
    await rename(target, aside);
    movedAside = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    if (movedAside) await rename(aside, target);
    throw error;
  }
  if (movedAside) await rm(aside, { recursive: true, force: true });
}

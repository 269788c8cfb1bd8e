/**
 * The channel's Kneser-Ney trigram stored beside a fine-tuned model (`ngram.bin`, named by the card's
 * `mixture`): its trigram counts as little-endian uint32 quadruples (u, v, w, count), sorted; the
 * lower orders and discounts are derived again on loading. A folder without it (every base model)
 * loads and samples exactly as before; a card's `mixture.cache` with a weight above 0 adds the cache.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KneserNey } from '../evaluation/kneser-ney.js';
import type { ModelCard } from './model-card.js';
import { CodedError } from '../../errors/coded-error.js';
import { NgramMixer } from '../sampling/ngram-mixer.js';

export const NGRAM_FILE = 'ngram.bin';

/** The model's trigram counts as the file's bytes. */
export function encodeNgramCounts(model: KneserNey): Uint8Array {
  if (model.order !== 3) throw new Error('only a trigram is stored');
  const V = model.vocabSize;
  const keys = [...model.topCounts.keys()].sort((a, b) => a - b);
  const data = new Uint32Array(keys.length * 4);
  keys.forEach((key, i) => {
    data.set([Math.floor(key / (V * V)), Math.floor(key / V) % V, key % V, model.topCounts.get(key)!], i * 4);
  });
  return new Uint8Array(data.buffer);
}

/** The trigram back from the file's bytes. */
export function decodeNgramCounts(bytes: Uint8Array, vocabSize: number): KneserNey {
  if (bytes.byteLength % 16 !== 0) throw new Error(`${NGRAM_FILE} is not a list of uint32 quadruples`);
  const data = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i += 4) {
    const [u, v, w, count] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    if (u >= vocabSize || v >= vocabSize) throw new Error(`${NGRAM_FILE}: context id outside the vocabulary`);
    counts.set((u * vocabSize + v) * vocabSize + w, count);
  }
  return new KneserNey(counts, vocabSize, 3);
}

/** The sampler's mixture of the model in `dir`, when its card names one (undefined otherwise). */
export async function readNgramMixer(dir: string, card: ModelCard): Promise<NgramMixer | undefined> {
  if (!card.mixture) return undefined;
  try {
    const bytes = await readFile(join(dir, card.mixture.file));
    const { lstmWeight, cache } = card.mixture;
    return new NgramMixer(decodeNgramCounts(bytes, card.config.vocabSize), lstmWeight, { ...(cache && { cache }) });
  } catch (error) {
    throw new CodedError('MODEL_INVALID', `invalid model in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

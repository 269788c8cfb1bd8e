/**
 * The channel's copy guard stored beside a fine-tuned model (`copy6.bin`, named by the card's
 * `copyGuard`): the `CopyNgramSet` of the channel's messages. A folder without it (every base model,
 * and channel models retrained before it existed) loads and samples without the guard.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCard } from './model-card.js';
import { CodedError } from '../../errors/coded-error.js';
import { CopyGuard, writtenIdStream } from '../sampling/copy-guard.js';
import { CopyNgramSet } from '../sampling/copy-ngram-set.js';
import type { Vocabulary } from '../text/vocabulary.js';

export const COPY_GUARD_FILE = 'copy6.bin';
/** Tokens per guarded n-gram: what the quality bench counts as a verbatim copy. */
export const COPY_GUARD_N = 6;

/** The guarded n-grams of a channel's messages, as they read once written out. */
export function channelCopyNgrams(texts: Iterable<string>, vocab: Vocabulary): CopyNgramSet {
  return CopyNgramSet.fromIds(writtenIdStream(texts, vocab), COPY_GUARD_N);
}

/** What a channel model's folder gets of its copy guard: the file and the card's `copyGuard`. */
export function copyGuardFiles(
  texts: Iterable<string>,
  vocab: Vocabulary,
): { files: Record<string, Uint8Array>; card: Required<Pick<ModelCard, 'copyGuard'>> } {
  const set = channelCopyNgrams(texts, vocab);
  return {
    files: { [COPY_GUARD_FILE]: set.toBytes() },
    card: { copyGuard: { file: COPY_GUARD_FILE, n: COPY_GUARD_N, ngrams: set.size } },
  };
}

/** The copy guard of the model in `dir`, when its card names one (undefined otherwise). */
export async function readCopyGuard(dir: string, card: ModelCard, vocab: Vocabulary): Promise<CopyGuard | undefined> {
  if (!card.copyGuard) return undefined;
  try {
    const set = CopyNgramSet.fromBytes(await readFile(join(dir, card.copyGuard.file)), card.copyGuard.n);
    if (set.size !== card.copyGuard.ngrams) throw new Error(`${card.copyGuard.file} does not hold the card's n-grams`);
    return new CopyGuard(set, vocab);
  } catch (error) {
    throw new CodedError('MODEL_INVALID', `invalid model in ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

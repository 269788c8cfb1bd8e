import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from './model-files.js';
import { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

/** Only the vocabulary of a model folder (no weights loaded). */
export async function loadVocabulary(dir: string): Promise<Vocabulary> {
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_FILES.vocab), 'utf8');
  } catch (error) {
    throw new CodedError('MODEL_NOT_FOUND', `no model in ${dir}: cannot read ${MODEL_FILES.vocab}`, {
      cause: error,
    });
  }
  try {
    return Vocabulary.fromJSON(JSON.parse(text));
  } catch (error) {
    throw new CodedError('MODEL_INVALID', `invalid model in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

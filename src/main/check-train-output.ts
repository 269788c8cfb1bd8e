import { readdir, stat } from 'node:fs/promises';
import { MODEL_FILES } from '../model/store/model-files.js';
import { CodedError } from '../errors/coded-error.js';

const MODEL_FILE_NAMES: ReadonlySet<string> = new Set(Object.values(MODEL_FILES));

/**
 * `train --out DIR` replaces the whole folder: refuses, before any work, a folder holding anything but
 * a model's files (or a path that is a file), unless `force`. A missing or empty folder is fine.
 */
export async function checkTrainOutput(dir: string, force = false): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) {
    throw new CodedError('OUTPUT_NOT_MODEL_FOLDER', `--out ${dir} is a file, not a model folder`);
  }
  if (force) return;
  const others = (await readdir(dir)).filter((name) => !MODEL_FILE_NAMES.has(name));
  if (others.length === 0) return;
  const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? `, ... (${others.length} in all)` : '');
  throw new CodedError(
    'OUTPUT_NOT_MODEL_FOLDER',
    `--out ${dir} is not a model folder (it holds ${shown}) and would be replaced as a whole: ` +
      'name a new or empty folder, or add --force to replace it',
  );
}

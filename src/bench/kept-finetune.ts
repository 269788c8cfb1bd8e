/**
 * A quality bench's fine-tuned channel model kept in a folder (`--keep-model DIR`) and used again by a
 * later run (`--finetuned DIR`), so that one fine-tune serves several measurements: the model folder
 * as `/retrain` published it, plus the retraining's summary (`retrain-summary.json`).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingSummary } from '../training/training-progress.js';

const SUMMARY_FILE = 'retrain-summary.json';

export interface KeptFineTune {
  summary: TrainingSummary;
  /** Wall-clock seconds of the retraining that made it. */
  retrainSeconds: number;
}

/** Copies the published model folder `from` (none: nothing published) and the summary into `dir`. */
export async function keepFineTuned(dir: string, from: string | undefined, kept: KeptFineTune): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (from) await cp(from, dir, { recursive: true });
  await writeFile(join(dir, SUMMARY_FILE), `${JSON.stringify(kept, null, 2)}\n`);
}

/** The summary a `keepFineTuned` wrote into `dir` (its model folder is `dir` when it was published). */
export async function readKeptFineTune(dir: string): Promise<KeptFineTune> {
  return JSON.parse(await readFile(join(dir, SUMMARY_FILE), 'utf8')) as KeptFineTune;
}

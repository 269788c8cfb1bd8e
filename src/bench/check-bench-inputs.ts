import { stat } from 'node:fs/promises';
import { largestRooms } from './largest-rooms.js';

export interface BenchInputs {
  /** The room the fine-tuning part uses; undefined when that part is skipped. */
  finetuneRoom?: string;
  /** Parts that cannot run with these inputs, and why. */
  skipped: Record<string, string>;
}

/**
 * Checks what `npm run bench` will read before minutes of work start: the corpus files must exist
 * (else it throws), and the fine-tuning part needs a JSON Lines corpus with a `channel` field (else
 * that part is skipped, with the reason).
 */
export async function checkBenchInputs(options: {
  corpus: string;
  finetuneCorpus?: string;
  skip: readonly string[];
}): Promise<BenchInputs> {
  const finetuneCorpus = options.finetuneCorpus ?? options.corpus;
  for (const file of new Set([options.corpus, finetuneCorpus])) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new Error(`corpus file not found or not a file: ${file}`);
  }
  if (options.skip.includes('finetune')) return { skipped: {} };
  try {
    return { finetuneRoom: (await largestRooms(finetuneCorpus, 1))[0]!, skipped: {} };
  } catch (error) {
    const reason = `${(error as Error).message} (give --finetune-corpus FILE: JSON Lines with a "channel" field)`;
    return { skipped: { finetune: reason } };
  }
}

/**
 * Fine-tuning side of `npm run bench`: one room of a JSONL chat corpus (the room with the most
 * messages unless named), its first `messages` messages after the same cleaning as an import, fine-tuned
 * from a base model within a time budget, with perplexity on the newest 10% for the base and the
 * fine-tuned model: what a `/retrain` of that room would do.
 */
import { cleanMessage } from '../history/clean-message.js';
import { fineTune } from '../model/training/fine-tune.js';
import { loadModel } from '../model/store/load-model.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import { readCorpus } from '../model/corpus/read-corpus.js';
import { tfLoad } from '../model/lstm/tf.js';
import { largestRooms } from './largest-rooms.js';

export interface FinetuneBenchOptions {
  corpus: string;
  modelDir: string;
  messages?: number;
  room?: string;
  /** Time budget of the fine-tuning, both evaluations included (none: it ends by its epochs). */
  trainSeconds?: number;
}

export interface FinetuneBenchResult {
  room: string;
  messages: number;
  /** Wall-clock time of the whole fine-tuning: reading, training, both evaluations. */
  seconds: number;
  perplexity_base: number;
  perplexity_finetuned: number;
  words_added: number;
  backend: string;
}

export async function finetuneBench(options: FinetuneBenchOptions): Promise<FinetuneBenchResult> {
  const started = performance.now();
  const limit = options.messages ?? 10_000;
  const room = options.room ?? (await largestRooms(options.corpus, 1))[0]!;
  const texts: string[] = [];
  for await (const message of readCorpus(options.corpus, 'jsonl')) {
    if (message.channel !== room) continue;
    const kept = cleanMessage({ text: message.text, author: message.author });
    if (typeof kept !== 'string') texts.push(kept.text);
    if (texts.length >= limit) break;
  }
  const base = await loadModel(options.modelDir);
  try {
    // As a /retrain does: the fine-tuning defaults, within the time budget when one is given.
    const result = await fineTune(base, texts, {
      seqLength: base.card.training.seqLength,
      timeBudgetMs: options.trainSeconds === undefined ? undefined : options.trainSeconds * 1000,
    });
    disposeParams(result.params);
    return {
      room,
      messages: texts.length,
      seconds: (performance.now() - started) / 1000,
      perplexity_base: result.perplexityBase,
      perplexity_finetuned: result.perplexityFineTuned,
      words_added: result.wordsAdded.length,
      backend: tfLoad.backend,
    };
  } finally {
    disposeParams(base.params);
  }
}

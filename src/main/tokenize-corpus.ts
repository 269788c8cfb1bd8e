/** `lstm-bot tokenize`: each message of a corpus as one JSON line of tokens and ids (for debugging). */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { corpusFormatOf } from '../model/corpus/corpus-format-of.js';
import { readCorpus, type CorpusFormat } from '../model/corpus/read-corpus.js';
import { tokenize } from '../model/text/tokenize.js';
import { loadVocabulary } from '../model/store/load-vocabulary.js';
import type { ProgressReporter } from './progress-reporter.js';

export async function runTokenize(
  options: { model: string; corpus: string; format?: CorpusFormat },
  write: (line: string) => void,
  progress?: Pick<ProgressReporter, 'update'>,
): Promise<void> {
  const vocab = await loadVocabulary(options.model);
  const { size } = await stat(options.corpus);
  const label = `tokenizing ${basename(options.corpus)}`;
  const onBytes = (done: number): void => progress?.update({ label, done, total: size, unit: 'bytes' });
  for await (const message of readCorpus(options.corpus, options.format ?? corpusFormatOf(options.corpus), {
    onBytes,
  })) {
    const tokens = tokenize(message.text);
    write(JSON.stringify({ tokens, ids: Array.from(vocab.encode(tokens)) }));
  }
}

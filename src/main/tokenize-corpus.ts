/** `lstm-bot tokenize`: each message of a corpus as one JSON line of tokens and ids (for debugging). */
import { corpusFormatOf } from '../model/corpus-format-of.js';
import { readCorpus, type CorpusFormat } from '../model/read-corpus.js';
import { tokenize } from '../model/tokenize.js';
import { loadVocabulary } from '../model/load-vocabulary.js';

export async function runTokenize(
  o: { model: string; corpus: string; format?: CorpusFormat },
  write: (line: string) => void,
): Promise<void> {
  const vocab = await loadVocabulary(o.model);
  for await (const message of readCorpus(o.corpus, o.format ?? corpusFormatOf(o.corpus))) {
    const tokens = tokenize(message.text);
    write(JSON.stringify({ tokens, ids: Array.from(vocab.encode(tokens)) }));
  }
}

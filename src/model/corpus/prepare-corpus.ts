/**
 * Turns a corpus file into what training needs: its sha256, a vocabulary of at most `vocabSize`
 * tokens built from its counts (or a given one), and the id stream (each message's ids, then `<eos>`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { countTokens } from './count-tokens.js';
import { encodeCorpus } from './encode-corpus.js';
import { readCorpus, type CorpusFormat, type CorpusMessage } from './read-corpus.js';
import { UNK_ID } from '../text/special-tokens.js';
import { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

export interface PreparedCorpus {
  sha256: string;
  messages: number;
  vocab: Vocabulary;
  ids: Int32Array;
  /** Share of ids that are `<unk>`. */
  unknownRate: number;
}

export interface PrepareCorpusOptions {
  format: CorpusFormat;
  /** Build a vocabulary of at most this many tokens from the corpus ... */
  vocabSize?: number;
  /** ... or encode with this one. */
  vocab?: Vocabulary;
  /** Told the bytes read so far of all passes over the file (two when building a vocabulary, else one). */
  onProgress?: (done: number, total: number) => void;
}

export async function prepareCorpus(path: string, options: PrepareCorpusOptions): Promise<PreparedCorpus> {
  const size = await corpusFileSize(path);
  const passes = options.vocab ? 1 : 2;
  let pass = 0;
  const read = (): AsyncGenerator<CorpusMessage> => {
    const before = size * pass++;
    const onBytes = options.onProgress && ((bytes: number) => options.onProgress!(before + bytes, size * passes));
    return readCorpus(path, options.format, { onBytes });
  };
  let messages = 0;
  const counted = async function* (): AsyncGenerator<CorpusMessage> {
    for await (const message of read()) {
      messages += 1;
      yield message;
    }
  };
  const [sha256, vocab] = await Promise.all([
    fileSha256(path),
    options.vocab ??
      countTokens(counted()).then((counts) => Vocabulary.build(counts, { maxSize: options.vocabSize ?? 8000 })),
  ]);
  const ids = await encodeCorpus(options.vocab ? counted() : read(), vocab);
  if (ids.length === 0) throw new CodedError('CORPUS_TOO_SMALL', `the corpus ${path} has no messages`);
  let unknown = 0;
  for (const id of ids) if (id === UNK_ID) unknown += 1;
  return { sha256, messages, vocab, ids, unknownRate: unknown / ids.length };
}

/** The size of a corpus file in bytes; a `CodedError` (`CORPUS_NOT_FOUND`) when it is missing or no file. */
export async function corpusFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    return info.size;
  } catch (error) {
    throw new CodedError('CORPUS_NOT_FOUND', `corpus file not found or not a file: ${path}`, { cause: error });
  }
}

/** The sha256 of a file, hex. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

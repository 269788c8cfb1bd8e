/**
 * Several corpus files as one training stream: each file's messages (chat logs' channels chosen by
 * name, their authors' addressing written as the user placeholder, as a `/retrain` writes it), one
 * vocabulary over all of them (built, or a given one grown by their frequent new words), and each
 * file's newest share held out, so the validation tail of the stream is every file's own tail.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { countTokens } from './count-tokens.js';
import { encodeCorpus } from './encode-corpus.js';
import { corpusFileSize, fileSha256 } from './prepare-corpus.js';
import { readCorpus, type CorpusFormat } from './read-corpus.js';
import { ChannelAuthors } from '../text/channel-authors.js';
import { channelWords } from '../text/channel-words.js';
import { UNK_ID } from '../text/special-tokens.js';
import { Vocabulary } from '../text/vocabulary.js';
import { CodedError } from '../../errors/coded-error.js';

export interface CorpusSource {
  path: string;
  format: CorpusFormat;
  /**
   * How many times its training part is in the stream (default 1): a small corpus weighted up against
   * a large one, as a domain's text is for a base model. Its validation tail is in the validation part
   * as many times, so that validation weighs the corpora as training does.
   */
  repeat?: number;
}

export interface PrepareCorporaOptions {
  /** Build a vocabulary of at most this many tokens ... */
  vocabSize: number;
  /** ... or grow this one by the corpora's new words seen `minNewWordCount` times, up to `vocabSize` in all. */
  grow?: Vocabulary;
  minNewWordCount?: number;
  /** Channels of JSON Lines corpora left out (e.g. those a benchmark scores on). */
  excludeChannels?: ReadonlySet<string>;
  /** Share of each corpus's tokens, at its end, held out for validation. */
  validationFraction: number;
  /** Told the bytes read so far of all passes over all files. */
  onProgress?: (done: number, total: number) => void;
}

/** What one file gave: the model card's record of it. */
export interface PreparedSource {
  name: string;
  sha256: string;
  format: CorpusFormat;
  messages: number;
  tokens: number;
  /** Tokens at its end held out for validation (`PreparedCorpora.validation`). */
  validationTokens: number;
  /** Times its training part was read per pass, when more than once (`CorpusSource.repeat`). */
  repeat?: number;
  excludedChannels?: string[];
  /** The trained model's perplexity on this file's validation tokens, and that of the model it continued. */
  validationPerplexity?: number;
  fromPerplexity?: number;
}

export interface PreparedCorpora {
  vocab: Vocabulary;
  /** Every file's training part, then every file's validation part, in the order given (each `repeat` times). */
  ids: Int32Array;
  /** Index in `ids` where the validation parts start. */
  validationStart: number;
  /** Each file's validation ids, in the order given (views of `ids`, once each). */
  validation: Int32Array[];
  sources: PreparedSource[];
  messages: number;
  unknownRate: number;
  /** sha256 of the one file, or of the files' sha256s joined by newlines. */
  sha256: string;
}

const PASSES = 3;

export async function prepareCorpora(
  sources: readonly CorpusSource[],
  options: PrepareCorporaOptions,
): Promise<PreparedCorpora> {
  if (sources.length === 0) throw new CodedError('CORPUS_NOT_FOUND', 'no corpus file given');
  const sizes = await Promise.all(sources.map((source) => corpusFileSize(source.path)));
  const total = sizes.reduce((sum, size) => sum + size, 0) * PASSES;
  let before = 0;
  const onBytes = (size: number) => {
    const start = before;
    before += size;
    return options.onProgress && ((bytes: number) => options.onProgress!(start + bytes, total));
  };
  const files = await Promise.all(sources.map((source) => fileSha256(source.path)));
  const authors: ChannelAuthors[] = [];
  for (const [index, source] of sources.entries()) {
    const report = onBytes(sizes[index]!);
    authors.push(await authorsOf(source, options.excludeChannels, report));
    if (source.format !== 'jsonl') report?.(sizes[index]!);
  }
  const counts = new Map<string, number>();
  for (const [index, source] of sources.entries()) {
    await countTokens(texts(source, authors[index]!, options.excludeChannels, onBytes(sizes[index]!)), counts);
  }
  const excludedWords = new Set(authors.flatMap((a) => [...a.words]));
  const vocab = vocabularyOf(counts, excludedWords, options);
  const parts: SourceIds[] = [];
  const prepared: PreparedSource[] = [];
  for (const [index, source] of sources.entries()) {
    let messages = 0;
    const counted = async function* () {
      for await (const text of texts(source, authors[index]!, options.excludeChannels, onBytes(sizes[index]!))) {
        messages += 1;
        yield text;
      }
    };
    const ids = await encodeCorpus(counted(), vocab);
    const splitAt = Math.floor(ids.length * (1 - options.validationFraction));
    parts.push({ train: ids.subarray(0, splitAt), validation: ids.subarray(splitAt), repeat: source.repeat ?? 1 });
    prepared.push(sourceRecord(source, files[index]!, messages, ids.length, ids.length - splitAt, options));
  }
  return joined(vocab, parts, prepared, files);
}

function vocabularyOf(
  counts: Map<string, number>,
  excludedWords: ReadonlySet<string>,
  options: PrepareCorporaOptions,
): Vocabulary {
  if (options.grow) {
    const added = channelWords(counts, options.grow, {
      minCount: options.minNewWordCount ?? 3,
      maxWords: Math.max(0, options.vocabSize - options.grow.size),
      excluded: excludedWords,
    });
    return options.grow.withAddedTokens(added);
  }
  for (const word of excludedWords) counts.delete(word);
  return Vocabulary.build(counts, { maxSize: options.vocabSize });
}

function sourceRecord(
  source: CorpusSource,
  sha256: string,
  messages: number,
  tokens: number,
  validationTokens: number,
  options: PrepareCorporaOptions,
): PreparedSource {
  const record: PreparedSource = {
    name: basename(source.path),
    sha256,
    format: source.format,
    messages,
    tokens,
    validationTokens,
  };
  if ((source.repeat ?? 1) > 1) record.repeat = source.repeat;
  if (source.format === 'jsonl' && options.excludeChannels?.size)
    record.excludedChannels = [...options.excludeChannels];
  return record;
}

/** A file's ids: its training part (in the stream `repeat` times) and its validation tail. */
interface SourceIds {
  train: Int32Array;
  validation: Int32Array;
  repeat: number;
}

function joined(vocab: Vocabulary, parts: SourceIds[], sources: PreparedSource[], files: string[]): PreparedCorpora {
  const length = parts.reduce((sum, part) => sum + (part.train.length + part.validation.length) * part.repeat, 0);
  const ids = new Int32Array(length);
  let offset = 0;
  const append = (part: Int32Array, times: number): number => {
    const start = offset;
    for (let time = 0; time < times; time += 1) {
      ids.set(part, offset);
      offset += part.length;
    }
    return start;
  };
  for (const part of parts) append(part.train, part.repeat);
  const validationStart = offset;
  const validation: Int32Array[] = [];
  for (const part of parts) {
    const start = append(part.validation, part.repeat);
    validation.push(ids.subarray(start, start + part.validation.length));
  }
  if (validationStart === 0) {
    const names = sources.map((source) => source.name).join(', ');
    throw new CodedError('CORPUS_TOO_SMALL', `the corpus ${names} has no messages`);
  }
  let unknown = 0;
  for (const id of ids) if (id === UNK_ID) unknown += 1;
  const sha256 = files.length === 1 ? files[0]! : createHash('sha256').update(files.join('\n')).digest('hex');
  const messages = sources.reduce((sum, source) => sum + source.messages, 0);
  return { vocab, ids, validationStart, validation, sources, messages, unknownRate: unknown / ids.length, sha256 };
}

/** A file's texts as training reads them: chosen channels only, addressing of authors as the placeholder. */
async function* texts(
  source: CorpusSource,
  authors: ChannelAuthors,
  excludeChannels: ReadonlySet<string> | undefined,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<string> {
  for await (const message of readCorpus(source.path, source.format, { onBytes })) {
    if (message.channel !== undefined && excludeChannels?.has(message.channel)) continue;
    yield message.author === undefined ? message.text : authors.rewrite(message.text);
  }
}

/** The authors of a file's chosen messages (none for plain lines). */
async function authorsOf(
  source: CorpusSource,
  excludeChannels: ReadonlySet<string> | undefined,
  onBytes: ((bytes: number) => void) | undefined,
): Promise<ChannelAuthors> {
  const names: string[] = [];
  if (source.format === 'jsonl') {
    for await (const message of readCorpus(source.path, source.format, { onBytes })) {
      if (message.channel !== undefined && excludeChannels?.has(message.channel)) continue;
      if (message.author !== undefined) names.push(message.author);
    }
  }
  return new ChannelAuthors(names);
}

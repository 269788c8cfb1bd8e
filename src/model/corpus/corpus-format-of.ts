import type { CorpusFormat } from './read-corpus.js';

/** The corpus format a file name implies: `.jsonl` (and `.ndjson`) is `jsonl`, anything else `lines`. */
export function corpusFormatOf(path: string): CorpusFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'lines';
}

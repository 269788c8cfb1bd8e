/**
 * What the quality benchmark reads off a model's replies: their length in words, their variety
 * (distinct-2: distinct token bigrams over all bigrams of all replies, Li et al. 2016) and how much of
 * them is copied verbatim from the channel's messages (the share of the replies' token 6-grams that
 * occur in a message). Replies and messages are compared as tokens, each message first written out
 * as the bot writes a reply (`detokenize`), so placeholders read the same on both sides.
 */
import { detokenize } from '../model/text/detokenize.js';
import { isWordToken, tokenize } from '../model/text/tokenize.js';

export interface ReplyStats {
  replies: number;
  meanWords: number;
  /**
   * The standard error of `meanWords` (the replies' sample standard deviation over the square root of
   * their number): how far another set of as many replies may land (0 with fewer than two replies).
   */
  meanWordsStdError: number;
  distinct2: number;
  /** Share of the replies' 6-grams found verbatim in the messages (0 when no reply has 6 tokens). */
  copied6gramRate: number;
}

const COPY_N = 6;
const SEPARATOR = '\u0001';

function ngrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(SEPARATOR));
  return out;
}

export class ReplyStatsCounter {
  readonly #messageNgrams = new Set<string>();

  /** `messages`: the texts the model learnt from (what a copy would be copied from). */
  constructor(messages: Iterable<string>) {
    for (const message of messages) {
      for (const gram of ngrams(tokenize(detokenize(tokenize(message))), COPY_N)) this.#messageNgrams.add(gram);
    }
  }

  /** `replies`: the continuations as the bot writes them (the prompt left out). */
  stats(replies: readonly string[]): ReplyStats {
    const lengths: number[] = [];
    const bigrams = new Set<string>();
    let bigramCount = 0;
    let grams = 0;
    let copied = 0;
    for (const reply of replies) {
      const tokens = tokenize(reply);
      lengths.push(tokens.filter(isWordToken).length);
      for (const bigram of ngrams(tokens, 2)) {
        bigrams.add(bigram);
        bigramCount++;
      }
      for (const gram of ngrams(tokens, COPY_N)) {
        grams++;
        if (this.#messageNgrams.has(gram)) copied++;
      }
    }
    const n = lengths.length;
    const mean = n ? lengths.reduce((sum, length) => sum + length, 0) / n : 0;
    const variance = n > 1 ? lengths.reduce((sum, length) => sum + (length - mean) ** 2, 0) / (n - 1) : 0;
    return {
      replies: n,
      meanWords: mean,
      meanWordsStdError: Math.sqrt(variance / Math.max(1, n)),
      distinct2: bigramCount ? bigrams.size / bigramCount : 0,
      copied6gramRate: grams ? copied / grams : 0,
    };
  }
}

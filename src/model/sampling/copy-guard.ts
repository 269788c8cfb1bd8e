/**
 * The copy guard: a reply never repeats n tokens (6) of the channel's messages verbatim, as the reply
 * reads. "As it reads": the tokens of the text written out (`detokenize`) and read again (`tokenize`),
 * which is how the quality bench counts copies, and what a reader sees. Most tokens read as themselves;
 * a few placeholders do not (`<url>` is written `[link]` and reads `[ link ]`, `<role>` reads
 * `<user>`), so the guard works on the written tokens' ids: the channel's messages are stored so, and
 * the sampler's history is expanded so. A token whose written form would complete a stored n-gram, at
 * any of its written tokens, is refused.
 */
import { detokenize } from '../text/detokenize.js';
import { EOS_ID, PAD_ID, UNK_ID } from '../text/special-tokens.js';
import { tokenize } from '../text/tokenize.js';
import type { Vocabulary } from '../text/vocabulary.js';
import type { CopyNgramSet } from './copy-ngram-set.js';

const NONE: readonly number[] = [];

/** The ids of `text` as a reader reads it once written out: the vocabulary's ids of its re-read tokens. */
export function writtenIds(text: string, vocab: Vocabulary): number[] {
  return tokenize(detokenize(tokenize(text))).map((token) => vocab.idOf(token));
}

/** The id stream the guard stores for `texts`: each message's written ids, then `<eos>`. */
export function writtenIdStream(texts: Iterable<string>, vocab: Vocabulary): number[] {
  const ids: number[] = [];
  for (const text of texts) ids.push(...writtenIds(text, vocab), EOS_ID);
  return ids;
}

export class CopyGuard {
  /** Ids that read as other tokens (a placeholder), with the ids they read as; the rest read as themselves. */
  readonly #written = new Map<number, number[]>();
  /** Scratch: the history's last n - 1 ids and a token's written ids. */
  readonly #tail: number[] = [];

  constructor(
    readonly ngrams: CopyNgramSet,
    vocab: Vocabulary,
  ) {
    for (let id = 0; id < vocab.size; id++) {
      if (id === PAD_ID || id === UNK_ID || id === EOS_ID) continue;
      // Between two words, as in a reply: a token alone can read otherwise ("'s" alone reads "' s").
      const read = tokenize(detokenize(['it', vocab.tokenOf(id), 'ok']));
      const inner = read[0] === 'it' && read[read.length - 1] === 'ok' ? read.slice(1, -1) : [vocab.tokenOf(id)];
      if (inner.length !== 1 || inner[0] !== vocab.tokenOf(id))
        this.#written.set(
          id,
          inner.map((token) => vocab.idOf(token)),
        );
    }
  }

  /** The guard's history of a prompt: its written ids (the last n - 1 are what count). */
  start(promptIds: readonly number[]): number[] {
    const history: number[] = [];
    for (const id of promptIds.slice(-(this.ngrams.n - 1))) this.push(history, id);
    return history;
  }

  /** Adds a drawn token to `history`. */
  push(history: number[], id: number): void {
    const written = this.#written.get(id);
    if (written === undefined) history.push(id);
    else history.push(...written);
  }

  /** The tokens that must not come next: each would complete a stored n-gram after `history`. */
  refused(history: readonly number[]): readonly number[] {
    const next = this.ngrams.refused(history);
    let refused: number[] | undefined;
    const refuse = (id: number) => (refused ??= []).push(id);
    for (const id of next) if (!this.#written.has(id)) refuse(id);
    const tail = this.#tail;
    const kept = Math.min(history.length, this.ngrams.n - 1);
    for (let k = 0; k < kept; k++) tail[k] = history[history.length - kept + k]!;
    for (const [id, written] of this.#written) {
      if (written.length === 0) continue;
      if (next.includes(written[0]!)) {
        refuse(id);
        continue;
      }
      // A token read as several: an n-gram may also end at its second or third written token.
      for (let k = 0; k < written.length; k++) tail[kept + k] = written[k]!;
      for (let k = 2; k <= written.length; k++) {
        if (this.ngrams.has(tail, kept + k)) {
          refuse(id);
          break;
        }
      }
    }
    return refused ?? NONE;
  }
}

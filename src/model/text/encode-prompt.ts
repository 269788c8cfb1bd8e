import { ANGLE_MARKUP_SOURCE, AT_MENTION_SOURCE, classifyAngleMarkup } from './chat-markup.js';
import { neutralizePings } from './neutralize-pings.js';
import { renderPlaceholder } from './render-placeholder.js';
import { EOS_ID, PLACEHOLDERS, UNK, UNK_ID } from './special-tokens.js';
import { isWordToken, tokenize } from './tokenize.js';
import type { Vocabulary } from './vocabulary.js';

export interface EncodedPrompt {
  /** Ids to prime the model with: `EOS_ID` (a message starts after an end of message), then the prompt. */
  ids: number[];
  /** The prompt as typed, whitespace collapsed and markup made harmless (as `detokenize` renders it). */
  display: string;
  /**
   * Words (tokens with a letter or digit) the vocabulary lacks, fed as `<unk>`: each once, in order of
   * appearance. Emoji (Slack's `:tada:` too) and punctuation the vocabulary lacks are fed as `<unk>`
   * too, but are not words.
   */
  unknownWords: string[];
  /** The share of the prompt's words (tokens with a letter or digit) the vocabulary lacks: 0 without words. */
  unknownShare: number;
}

/** An emoji as Slack writes it (`:tada:`, `:+1:`): not a word, though it has letters. */
const SHORTCODE_RE = /^:[\w+-]+:$/;

/** Invisible format characters (zero-width spaces, direction marks) but the emoji joiner. */
const INVISIBLE_RE = /(?!\u200D)\p{Cf}/gu;
const MARKUP_RE = new RegExp(`${ANGLE_MARKUP_SOURCE}|${AT_MENTION_SOURCE}`, 'gu');

/**
 * Markup as the user meant it, for the echo (`neutralizePings` then makes it inert): a mass mention
 * as written (`@here`, `<!channel>` as `@channel`), a link as its label or address; mentions of
 * people, groups and channels as placeholders (their names are not known here).
 */
function neutralizeMarkup(markup: string): string {
  if (markup.startsWith('@')) return markup;
  if (markup.startsWith('<:') || markup.startsWith('<a:')) return `:${markup.split(':')[1] ?? 'emoji'}:`;
  const placeholder = classifyAngleMarkup(markup);
  const [target = '', label] = splitOnce(markup.slice(1, -1), '|');
  if (placeholder === PLACEHOLDERS.everyone) return `@${/^!(\w+)/.exec(target)?.[1] ?? 'everyone'}`;
  if (placeholder === PLACEHOLDERS.url) return label || target;
  if (placeholder !== null) return renderPlaceholder(placeholder) ?? '';
  return label ?? ''; // Slack `<!date^...|fallback>`
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Turns a user's prompt into priming ids, the text to echo back, and the words the model does not know. */
export function encodePrompt(text: string, vocab: Vocabulary): EncodedPrompt {
  const ids = [EOS_ID];
  const unknown = new Set<string>();
  let words = 0;
  let unknownWords = 0;
  for (const token of tokenize(text)) {
    const id = vocab.idOf(token);
    ids.push(id);
    if (!isWordToken(token) || SHORTCODE_RE.test(token)) continue;
    words++;
    if (id !== UNK_ID || token === UNK) continue;
    unknownWords++;
    unknown.add(token);
  }
  const display = neutralizePings(
    text
      .replace(INVISIBLE_RE, '')
      .replace(MARKUP_RE, neutralizeMarkup)
      .replace(/[\p{Cc}\p{Cs}\s]+/gu, ' ')
      .trim(),
  );
  return { ids, display, unknownWords: [...unknown], unknownShare: words > 0 ? unknownWords / words : 0 };
}

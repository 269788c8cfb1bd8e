import { neutralizePings } from './neutralize-pings.js';
import { renderPlaceholder } from './render-placeholder.js';
import { SPECIAL_TOKENS } from './special-tokens.js';
import { CLITICS, DASH, JOINED_HYPHEN } from './tokenize.js';

export interface DetokenizeOptions {
  /** Capitalise the first letter of the text and of each sentence (default false: chat is often lower case). */
  capitalizeSentences?: boolean;
  /**
   * Tokens already written before these (a prompt): not written again, but they decide quotes,
   * sentence starts and whether the text starts with a space, so that `prompt + text` reads right.
   */
  context?: readonly string[];
}

/** Tokens written with no space before them. */
const ATTACH_LEFT: ReadonlySet<string> = new Set([
  ...CLITICS,
  '.', ',', ';', ':', '...', '%', ')', ']', '}', JOINED_HYPHEN, '/',
]); // prettier-ignore
/** Tokens written with no space after them. */
const ATTACH_RIGHT: ReadonlySet<string> = new Set(['(', '[', '{', '$', '£', '€', '#', '¿', '¡', JOINED_HYPHEN, '/']);
/** Emoticons whose capital the tokenizer folded away. */
const EMOTICONS: ReadonlyMap<string, string> = new Map([
  [':d', ':D'],
  [';d', ';D'],
  ['=d', '=D'],
  [':-d', ':-D'],
  ['xd', 'XD'],
]);
const SKIPPED: ReadonlySet<string> = new Set<string>(SPECIAL_TOKENS);
const SENTENCE_END = /[.!?]$/;
/** `!`, `?` and their runs (`?!?`) close what they follow. */
const BANGS = /^[!?]+$/;
const PLURAL_END = /s$/;

/**
 * Writes tokens as natural text: `hello, world!`, contractions rejoined (`do` `n't` -> `don't`),
 * quotes and brackets attached, `i` -> `I`. Placeholders render as harmless text (`@someone`,
 * `[link]`, ...), `<pad>`, `<unk>` and `<eos>` are skipped, and the result can never ping or link.
 */
export function detokenize(tokens: readonly string[], options: DetokenizeOptions = {}): string {
  let out = '';
  let glueNext = true; // no space before the next token
  let openDouble = false;
  let openSingle = false;
  let sentenceStart = true;
  const context = options.context ?? [];
  const all = context.length === 0 ? tokens : [...context, ...tokens];
  const lastSingleQuote = all.lastIndexOf("'");
  let contextEnd = 0;
  for (const [index, token] of all.entries()) {
    if (index === context.length) contextEnd = out.length;
    if (SKIPPED.has(token)) continue;
    let text =
      renderPlaceholder(token) ?? (token === 'i' ? 'I' : token === DASH ? '-' : (EMOTICONS.get(token) ?? token));
    let attachLeft = ATTACH_LEFT.has(token) || BANGS.test(token);
    let attachRight = ATTACH_RIGHT.has(token);
    if (token === "'" && !openSingle && index === lastSingleQuote && PLURAL_END.test(out)) {
      attachLeft = true; // a plural possessive (the fans' seats), not an opening quote
    } else if (token === '"' || token === "'") {
      const open: boolean = token === '"' ? !openDouble : !openSingle;
      if (token === '"') openDouble = open;
      else openSingle = open;
      attachLeft = !open;
      attachRight = open;
    }
    if (options.capitalizeSentences && sentenceStart && /^\p{Ll}/u.test(text)) {
      text = text.charAt(0).toUpperCase() + text.slice(1);
      sentenceStart = false;
    } else if (/[\p{L}\p{N}]/u.test(text)) sentenceStart = false;
    if (SENTENCE_END.test(text) && attachLeft) sentenceStart = true;
    out += glueNext || attachLeft ? text : ` ${text}`;
    glueNext = attachRight;
  }
  if (context.length === 0) return neutralizePings(out);
  return neutralizePings(all.length === context.length ? '' : out.slice(contextEnd));
}

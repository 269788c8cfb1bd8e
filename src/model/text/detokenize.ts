import { neutralizePings } from './neutralize-pings.js';
import { renderPlaceholder } from './render-placeholder.js';
import { SPECIAL_TOKENS } from './special-tokens.js';
import { CLITICS, DASH, JOINED_HYPHEN, NO_SPACE_SCRIPT_SOURCE } from './tokenize.js';

export interface DetokenizeOptions {
  /** Capitalise the first letter of the text and of each sentence (default false: chat is often lower case). */
  capitalizeSentences?: boolean;
  /**
   * Tokens already written before these (a prompt): not written again, but they decide quotes,
   * sentence starts and whether the text starts with a space, so that `prompt + text` reads right.
   */
  context?: readonly string[];
}

/** Tokens written with no space before them (CJK full stops, commas and closing brackets among them). */
const ATTACH_LEFT: ReadonlySet<string> = new Set([
  ...CLITICS,
  '.', ',', ';', ':', '...', '%', ')', ']', '}', JOINED_HYPHEN, '/',
  '。', '、', '，', '．', '！', '？', '：', '；', '）', '」', '』', '】', '〉', '》',
]); // prettier-ignore
/** Tokens written with no space after them. */
const ATTACH_RIGHT: ReadonlySet<string> = new Set([
  '(', '[', '{', '$', '£', '€', '#', '¿', '¡', JOINED_HYPHEN, '/', '（', '「', '『', '【', '〈', '《',
]); // prettier-ignore
/**
 * Letters of scripts written without spaces, and CJK punctuation: two tokens that meet on such
 * characters are written with no space between them (`今日` `は` -> `今日は`); Latin keeps its spaces.
 */
const NO_SPACE_START = new RegExp(`^[${NO_SPACE_SCRIPT_SOURCE}\\u3000-\\u303f\\uff00-\\uffef]`, 'u');
const NO_SPACE_END = new RegExp(`[${NO_SPACE_SCRIPT_SOURCE}\\u3000-\\u303f\\uff00-\\uffef]$`, 'u');
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

/**
 * Writes tokens as natural text: `hello, world!`, contractions rejoined (`do` `n't` -> `don't`),
 * no spaces between words of Chinese, Japanese, Thai and the like (`今日はいい天気ですね`),
 * quotes and brackets attached, `i` -> `I`. Placeholders render as harmless text (`@someone`,
 * `[link]`, ...), `<pad>`, `<unk>` and `<eos>` are skipped, and the result can never ping or link.
 */
export function detokenize(tokens: readonly string[], options: DetokenizeOptions = {}): string {
  let out = '';
  let glueNext = true; // no space before the next token
  let openDouble = false;
  let openSingle = false;
  let sentenceStart = true;
  let noSpaceBefore = false; // the text so far ends in a script written without spaces
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
    if (token === "'" && !openSingle && index === lastSingleQuote && out.endsWith('s')) {
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
    const noSpace = noSpaceBefore && NO_SPACE_START.test(text);
    out += glueNext || attachLeft || noSpace ? text : ` ${text}`;
    glueNext = attachRight;
    noSpaceBefore = NO_SPACE_END.test(text);
  }
  if (context.length === 0) return neutralizePings(out);
  return neutralizePings(all.length === context.length ? '' : out.slice(contextEnd));
}

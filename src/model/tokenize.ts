import {
  ANGLE_MARKUP_SOURCE,
  AT_MENTION_SOURCE,
  CODE_SOURCE,
  EMAIL_SOURCE,
  URL_SOURCE,
  classifyAngleMarkup,
  classifyAtMention,
} from './chat-markup.js';
import { PLACEHOLDERS } from './special-tokens.js';

/** Contraction endings split off a word as their own token: `don't` -> `do` `n't`, `it's` -> `it` `'s`. */
export const CLITICS: ReadonlySet<string> = new Set(["n't", "'s", "'re", "'ll", "'ve", "'m", "'d"]);

/** A hyphen joining two words (`well-known` -> `well` `-` `known`): rendered with no space around it. */
export const JOINED_HYPHEN = '-';
/** A dash standing between spaces (` - `, `--`, `—`, `–`): rendered as ` - `. */
export const DASH = '—';

// One alternative per group, tried in this order at each position.
const TOKEN_RE = new RegExp(
  [
    `(${CODE_SOURCE})`, // 1 code
    `(${ANGLE_MARKUP_SOURCE})`, // 2 angle-bracket markup
    `(${URL_SOURCE})`, // 3 link
    `(${EMAIL_SOURCE})`, // 4 e-mail
    `(${AT_MENTION_SOURCE})`, // 5 @mention
    '((?<![\\p{L}\\p{N}]):[\\w+-]{1,40}:)', // 6 :shortcode:
    // 7 emoji: keycaps, flags, pictographs with variation selectors, skin tones and ZWJ sequences
    '([#*0-9]\\uFE0F?\\u20E3|\\p{Regional_Indicator}{2}' +
      '|\\p{Extended_Pictographic}[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]*(?:\\u200D\\p{Extended_Pictographic}[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]*)*)',
    // 8 emoticons
    "((?:[:;=][-^']?(?:[)(]{1,3}|[\\][DPpOo3/\\\\|*$@])(?![\\p{L}\\p{N}]))|<\\/?3|\\^_?\\^|-_-)",
    '(\\p{N}+(?:[.,:]\\p{N}+)+)', // 9 numbers with separators: 3.5, 1,000, 10:30
    '((?:\\p{L}\\.){2,})', // 10 abbreviations: u.s., e.g.
    "([\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*(?:['’][\\p{L}\\p{M}\\p{N}]+)*)", // 11 words
    '((?<=[\\p{L}\\p{N}])-(?=[\\p{L}\\p{N}]))', // 12 joined hyphen
    '(\\.{2,}|…)', // 13 ellipsis
    '([!?]{2,})', // 14 runs of ! and ?
    '(-+|[—–])', // 15 dashes
    '(\\*+|_+|~~+|\\|\\|+|`+)', // 16 Markdown emphasis, spoilers, stray backticks: dropped
    '([\\p{M}\\u200D\\uFE0F]+)', // 17 stray marks and joiners: dropped
    '(\\S)', // 18 any other character
  ].join('|'),
  'gu',
);

const CONTROL_RE = /[\p{Cc}\p{Cs}]/gu;
const FORMAT_RE = /(?!\u200D)\p{Cf}/gu;
const QUOTES: Readonly<Record<string, string>> = { '“': '"', '”': '"', '„': '"', '‘': "'", '’': "'" };

function pushWord(tokens: string[], raw: string): void {
  let word = raw.toLowerCase();
  if (word.indexOf('’') >= 0) word = word.replaceAll('’', "'");
  const apostrophe = word.lastIndexOf("'");
  if (apostrophe > 0) {
    if (word.endsWith("n't") && word.length > 3 && apostrophe === word.length - 2) {
      tokens.push(word.slice(0, -3), "n't");
      return;
    }
    const clitic = word.slice(apostrophe);
    if (CLITICS.has(clitic)) {
      tokens.push(word.slice(0, apostrophe), clitic);
      return;
    }
  }
  tokens.push(word);
}

/**
 * Splits a chat message into tokens as a person reads it: lower-cased words, contractions split
 * (`don't` -> `do` `n't`), numbers, punctuation, emoji and emoticons; markup becomes placeholder
 * tokens (see `PLACEHOLDERS`). No token holds whitespace. Never throws: control characters, lone
 * surrogates and invisible format characters are dropped.
 */
export function tokenize(text: string): string[] {
  const clean = text.replace(CONTROL_RE, ' ').replace(FORMAT_RE, '').normalize('NFC');
  const tokens: string[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(clean); m !== null; m = TOKEN_RE.exec(clean)) {
    if (m[11] !== undefined) pushWord(tokens, m[11]);
    else if (m[18] !== undefined) tokens.push(QUOTES[m[18]] ?? m[18]);
    else if (m[1] !== undefined) tokens.push(PLACEHOLDERS.code);
    else if (m[2] !== undefined) {
      const placeholder = classifyAngleMarkup(m[2]);
      if (placeholder !== null) tokens.push(placeholder);
    } else if (m[3] !== undefined || m[4] !== undefined) tokens.push(PLACEHOLDERS.url);
    else if (m[5] !== undefined) tokens.push(classifyAtMention(m[5]));
    else if (m[6] !== undefined) tokens.push(m[6].toLowerCase());
    else if (m[13] !== undefined) tokens.push('...');
    else if (m[14] !== undefined) tokens.push(m[14].slice(0, 3));
    else if (m[15] !== undefined) tokens.push(DASH);
    else if (m[12] !== undefined) tokens.push(JOINED_HYPHEN);
    else if (m[16] === undefined && m[17] === undefined) tokens.push(m[0]);
  }
  return tokens;
}

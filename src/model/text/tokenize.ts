import {
  ANGLE_MARKUP_SOURCE,
  AT_MENTION_SOURCE,
  CODE_SOURCE,
  DOMAIN_SOURCE,
  EMAIL_SOURCE,
  HTML_TAG_SOURCE,
  MARKDOWN_LINK_SOURCE,
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

/**
 * One match per token candidate; alternatives are tried in this order at each position, so markup
 * wins over words. `unicode` builds the slower variant for text that is not printable ASCII.
 */
function tokenPattern(unicode: boolean): RegExp {
  const letter = unicode ? '\\p{L}' : 'a-z';
  const digit = unicode ? '\\p{N}' : '0-9';
  const alnum = unicode ? '\\p{L}\\p{N}' : 'a-z0-9';
  const wordChar = unicode ? '\\p{L}\\p{M}\\p{N}' : 'a-z0-9';
  const apostrophe = unicode ? "['’´]" : "'";
  const word = `[${alnum}][${wordChar}]*(?:${apostrophe}[${wordChar}]+)*`;
  return new RegExp(
    [
      CODE_SOURCE,
      ANGLE_MARKUP_SOURCE,
      HTML_TAG_SOURCE,
      MARKDOWN_LINK_SOURCE,
      URL_SOURCE,
      EMAIL_SOURCE,
      DOMAIN_SOURCE,
      unicode ? AT_MENTION_SOURCE : AT_MENTION_SOURCE.replaceAll('\\p{L}\\p{N}', alnum),
      `(?<![${alnum}]):[\\w+-]{1,40}:`, // :shortcode:
      // emoji: keycaps, flags, pictographs with variation selectors, skin tones and ZWJ sequences
      ...(unicode
        ? [
            '[#*0-9]\\uFE0F?\\u20E3|\\p{Regional_Indicator}{2}',
            '\\p{Extended_Pictographic}[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]*(?:\\u200D\\p{Extended_Pictographic}[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]*)*',
          ]
        : []),
      `[:;=][-^']?(?:[)(]{1,3}|[\\][dpo3\\\\|*$@]|\\/(?!\\/))(?![${alnum}])|<\\/?3|\\^_?\\^|-_-`, // emoticons (not the :/ of a link's ://)
      '\\d{4}-\\d\\d-\\d\\d(?:t\\d\\d(?::\\d\\d){1,2}(?:\\.\\d+)?z?)?(?![\\w-])', // dates: 2016-08-08, 2016-08-08t20:15:00.000z
      `[${digit}]+(?:[.,:][${digit}]+)+|(?<!\\S)\\.[${digit}]+`, // numbers: 3.5, 1,000, 10:30, .500
      `(?:[${letter}]\\.){2,}`, // abbreviations: u.s., e.g.
      `${word}(?:[-&]${word})*`, // words (r&b), hyphenated words split later
      '->|=>|<-|\\+\\+', // arrows
      '\\.{2,}|[!?]{2,}|-+|\\*+|_+|~~+|\\|\\|+|`+', // ellipses, !?!, dashes, Markdown emphasis and spoilers
      ...(unicode ? ['[\\p{M}\\u200D\\uFE0F]+'] : []), // stray marks and joiners (dropped)
      '\\S',
    ].join('|'),
    unicode ? 'gu' : 'g',
  );
}

const ASCII_TOKEN_RE = tokenPattern(false);
const UNICODE_TOKEN_RE = tokenPattern(true);
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const CONTROL_RE = /[\p{Cc}\p{Cs}]/gu;
const FORMAT_RE = /(?!\u200D)\p{Cf}/gu;
const WORD_START = /^[\p{L}\p{N}]/u;
const NOT_ASCII_WORD = /[^a-z0-9]/;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]/u;
const DROPPED_MARKS = /^(?:\p{M}|\u200D|\uFE0F)/u;
const SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['“', '"'], ['”', '"'], ['„', '"'], ['‘', "'"], ['’', "'"], ['´', "'"], ['…', '...'], ['—', DASH], ['–', DASH],
]); // prettier-ignore
const CURLY_APOSTROPHES = /[’´]/g;
const ISO_DATE = /^\d{4}-\d\d-\d\d(?:t[\d:.]+z?)?$/;

/**
 * Letters of scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
 * Myanmar): a run of them is one regular-expression "word", cut into words by `Intl.Segmenter`.
 */
export const NO_SPACE_SCRIPT_SOURCE =
  '\\p{Script_Extensions=Han}\\p{Script_Extensions=Hiragana}\\p{Script_Extensions=Katakana}' +
  '\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const NO_SPACE_SCRIPT = new RegExp(`[${NO_SPACE_SCRIPT_SOURCE}]`, 'u');
/** The dictionary-based word breaker of ICU (the same for every locale for these scripts). */
const WORD_SEGMENTER = new Intl.Segmenter(undefined, { granularity: 'word' });

/** A word holding letters of a script without spaces: its segments, each pushed as a word. */
function pushSegmentedWord(tokens: string[], word: string): void {
  for (const { segment, isWordLike } of WORD_SEGMENTER.segment(word)) {
    if (!isWordLike) {
      if (segment.trim() !== '' && !DROPPED_MARKS.test(segment)) tokens.push(segment);
    } else if (NO_SPACE_SCRIPT.test(segment)) tokens.push(segment);
    else pushWord(tokens, segment);
  }
}

function pushWord(tokens: string[], lowerCaseWord: string): void {
  if (NOT_ASCII_WORD.test(lowerCaseWord) && NO_SPACE_SCRIPT.test(lowerCaseWord)) {
    pushSegmentedWord(tokens, lowerCaseWord);
    return;
  }
  const word = lowerCaseWord.replace(CURLY_APOSTROPHES, "'");
  const apostrophe = word.lastIndexOf("'");
  if (apostrophe > 0) {
    if (apostrophe === word.length - 2 && word.endsWith("n't") && word.length > 3) {
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

/** Words, e-mail addresses, links, domains, numbers, abbreviations and keycaps start with a letter or digit. */
function pushAlnum(tokens: string[], match: string): void {
  if (match.includes('@') || match.includes('://') || match.startsWith('www.') || match.startsWith('localhost:'))
    tokens.push(PLACEHOLDERS.url);
  else if (match.endsWith('.') || match.includes('\u20e3'))
    tokens.push(match); // abbreviation, keycap
  else if (/^\d/.test(match) && (/[.,:]/.test(match) || ISO_DATE.test(match)))
    tokens.push(match); // number, date
  else if (match.includes('.'))
    tokens.push(PLACEHOLDERS.url); // domain
  else if (match.includes('-')) {
    match.split('-').forEach((part, i) => {
      if (i > 0) tokens.push(JOINED_HYPHEN);
      pushWord(tokens, part);
    });
  } else pushWord(tokens, match);
}

/** An image becomes a link; a link keeps its label's words, then the link. */
function pushMarkdownLink(tokens: string[], match: string): void {
  if (match.charAt(0) === '[' && match.charAt(1) !== '!') {
    for (const token of tokenize(match.slice(1, match.lastIndexOf('](')))) tokens.push(token);
  }
  tokens.push(PLACEHOLDERS.url);
}

function pushOther(tokens: string[], match: string): void {
  const c = match.charAt(0);
  if (match.length > 1) {
    if ((c === '[' || c === '!') && match.endsWith(')')) {
      pushMarkdownLink(tokens, match);
    } else if (c === '`') {
      if (!/^`+$/.test(match)) tokens.push(PLACEHOLDERS.code);
    } else if (c === '<') {
      const placeholder = match.endsWith('>') ? classifyAngleMarkup(match) : match;
      if (placeholder !== null) tokens.push(placeholder);
    } else if (c === '@') tokens.push(classifyAtMention(match));
    else if (match.includes('@')) tokens.push(PLACEHOLDERS.url);
    else if (c === ':' && match.endsWith(':')) tokens.push(match);
    else if (c === '.') tokens.push(match.length > 1 && /\d/.test(match.charAt(1)) ? match : '...');
    else if (c === '!' || c === '?') tokens.push(match.slice(0, 3));
    else if (c === '-' && /^-+$/.test(match)) tokens.push(DASH);
    else if (c !== '*' && c !== '_' && c !== '~' && c !== '|' && !DROPPED_MARKS.test(match)) tokens.push(match);
  } else if (c === '-') tokens.push(DASH);
  else if (c !== '*' && c !== '_' && c !== '`' && !DROPPED_MARKS.test(c)) tokens.push(SYMBOLS.get(c) ?? c);
}

/**
 * Splits a chat message into tokens as a person reads it: lower-cased words, contractions split
 * (`don't` -> `do` `n't`), hyphens their own token, numbers, punctuation, emoji and emoticons;
 * markup becomes placeholder tokens (see `PLACEHOLDERS`), Markdown emphasis is dropped. No token
 * holds whitespace. Never throws: control characters, lone surrogates and invisible format
 * characters (zero-width spaces, direction marks) are dropped.
 */
export function tokenize(text: string): string[] {
  const ascii = !NOT_PRINTABLE_ASCII.test(text);
  const lower = ascii
    ? text.toLowerCase()
    : text.replace(CONTROL_RE, ' ').replace(FORMAT_RE, '').toLowerCase().normalize('NFC');
  const matches = lower.match(ascii ? ASCII_TOKEN_RE : UNICODE_TOKEN_RE);
  const tokens: string[] = [];
  if (matches === null) return tokens;
  for (const match of matches) {
    const code = match.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      // Fast path: a plain word is most of any chat text.
      if (!NOT_ASCII_WORD.test(match)) tokens.push(match);
      else if (match.length === 1 || match.charCodeAt(1) !== 0xfe0f) pushAlnum(tokens, match);
      else tokens.push(match); // keycap emoji
    } else if (code > 127 && WORD_START.test(match)) {
      if (NOT_WORD.test(match)) pushAlnum(tokens, match);
      else if (NO_SPACE_SCRIPT.test(match)) pushSegmentedWord(tokens, match);
      else tokens.push(match);
    } else pushOther(tokens, match);
  }
  return tokens;
}

const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether a token is a word: it has a letter or a digit (how replies, `maxWords` and prompts count words). */
export function isWordToken(token: string): boolean {
  return HAS_WORD_CHARACTER.test(token);
}

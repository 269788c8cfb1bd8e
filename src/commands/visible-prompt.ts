/** Format characters (zero-width spaces, direction marks) but the emoji joiner: unseen, and dropped by the worker. */
const INVISIBLE_RE = /(?!\u200D)\p{Cf}/gu;
/** Controls (NUL, line breaks), lone surrogates and white space: one space, as the worker echoes them. */
const BLANKS_RE = /[\p{Cc}\p{Cs}\s]+/gu;
/** Combining marks and joiners: standing alone, the tokenizer drops them (nothing to see). */
const MARKS_RE = /\p{M}|\u200D|\uFE0F/gu;
/** Markdown emphasis, code and spoiler markers (`**`, `_`, `` ` ``, `~~`, `||`): the tokenizer drops them too. */
const MARKUP_RE = /\*+|_+|~~+|\|\|+|`+/g;

/**
 * A prompt as the worker reads it (`encodePrompt`'s cleaning): invisible format characters dropped,
 * controls and white space runs as one space, trimmed; empty when nothing visible is left (only NUL,
 * zero-width spaces, stray combining marks or Markdown markers such as Discord's blank `_ _`), so such a
 * prompt gets the empty prompt's usage answer instead of a continuation of nothing.
 */
export function visiblePrompt(prompt: string): string {
  const text = prompt.replace(INVISIBLE_RE, '').replace(BLANKS_RE, ' ').trim();
  return text.replace(MARKS_RE, '').replace(MARKUP_RE, '').trim() === '' ? '' : text;
}

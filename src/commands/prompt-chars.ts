import { visiblePrompt } from './visible-prompt.js';

/**
 * The most UTF-16 code units a prompt may take per character `MAX_PROMPT_CHARS` allows: an emoji takes
 * 2, one with a skin tone or a flag 4. The bound keeps what one prompt costs (Redis, the worker) in
 * proportion to the limit however many marks a character stacks, and is checked before counting.
 */
export const MAX_CODE_UNITS_PER_PROMPT_CHAR = 4;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A prompt's length as users see it: the characters (grapheme clusters: an emoji, `é` written as `e` and
 * an accent, each count 1) of its visible text (`visiblePrompt`), which `MAX_PROMPT_CHARS` bounds.
 */
export function promptChars(prompt: string): number {
  return [...GRAPHEMES.segment(visiblePrompt(prompt))].length;
}

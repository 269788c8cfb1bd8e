import { describe, expect, it } from 'vitest';
import { visiblePrompt } from '../../../src/commands/visible-prompt.js';
import { tokenize } from '../../../src/model/text/tokenize.js';

/** Prompts the worker would read as nothing, and some it would not. */
const PROMPTS = [
  '\u0000\u0000',
  '\u200b\u200b',
  '\u0301\u0301',
  '_ _',
  '**',
  '```',
  '~~ ~~',
  '|| ||',
  '* _ ` ~~ ||',
  'hello',
  '_hi_',
  '**bold**',
  '2*3',
  '~',
  '|',
  '- -',
  '...',
  '😀',
];

describe('visiblePrompt', () => {
  it.each(PROMPTS)('is empty exactly when the worker reads no token: %j', (prompt) => {
    expect(visiblePrompt(prompt) === '').toBe(tokenize(prompt).length === 0);
  });
});

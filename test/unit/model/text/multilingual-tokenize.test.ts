import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detokenize } from '../../../../src/model/text/detokenize.js';
import { tokenize } from '../../../../src/model/text/tokenize.js';

interface Case {
  language: string;
  text: string;
  tokens: string[];
  written: string;
}

const cases = readFileSync(new URL('../../../fixtures/multilingual.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Case);

describe('words of scripts written without spaces', () => {
  it.each(cases.map((c) => [c.language, c] as const))('%s: cut into words', (_, c) => {
    expect(tokenize(c.text)).toEqual(c.tokens);
  });

  it.each(cases.map((c) => [c.language, c] as const))('%s: written back naturally', (_, c) => {
    expect(detokenize(c.tokens)).toBe(c.written);
  });

  it('keeps a space between Latin words and words of scripts without spaces', () => {
    expect(detokenize(['iphone', 'を', '買う'])).toBe('iphone を買う');
    expect(detokenize(['今日', 'は', 'hello', 'world'])).toBe('今日は hello world');
  });

  it('writes a prompt continued in Japanese with no space where the words meet', () => {
    expect(detokenize(['天気', 'です', 'ね'], { context: ['今日', 'は', 'いい'] })).toBe('天気ですね');
  });
});

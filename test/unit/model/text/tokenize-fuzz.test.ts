import { describe, expect, it } from 'vitest';
import { detokenize } from '../../../../src/model/text/detokenize.js';
import { encodePrompt } from '../../../../src/model/text/encode-prompt.js';
import { tokenize } from '../../../../src/model/text/tokenize.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

/** mulberry32: a small seeded generator, so every run checks the same strings. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = [
  'a', 'I', 'don', "'", "n't", 't', ' ', '  ', '\n', '\t', '.', ',', '!', '?', '"', '(', ')', '[', ']', '-', '/',
  '<', '>', '@', '!', '#', '&', ':', '|', '^', '`', '```', '*', '_', '~', 'everyone', 'here', 'channel', 'Everyone',
  '123', 'U1', 'C1', 'subteam', 'http', '://', 'www.', '.com', 'a:', 't:', '<@', '<!', '<#', '<@&', '<@!', '@everyone',
  '@here', '\u200b', '\u200d', '\u200f', '\u202e', '\ufeff', '\u0000', '\u0301', '\ud800', '\udfff', '🙂', '👍🏽', '🇫🇷',
  '1️⃣', '\ufe0f', 'é', 'ß', 'İ', 'ﬁ', 'مرحبا', '中文', '＠', '﹫',
]; // prettier-ignore

function randomText(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 40);
  for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

function assertHarmless(text: string): void {
  expect(text).not.toMatch(/<[@!#:/]|<a:|<https?:/i);
  expect(text).not.toMatch(/[@＠﹫](everyone|here|channel)/i);
}

describe('tokenizer on random chat-like input', () => {
  const next = random(20_240_101);
  const texts = Array.from({ length: 3000 }, () => randomText(next));
  const vocab = Vocabulary.build(new Map([['a', 1]]), { maxSize: 20 });

  it('never throws and yields only non-empty tokens without whitespace', () => {
    for (const text of texts) {
      const tokens = tokenize(text);
      for (const token of tokens) expect(token).toMatch(/^\S+$/);
    }
  });

  it('never yields text that pings when detokenized', () => {
    for (const text of texts) assertHarmless(detokenize(tokenize(text)));
  });

  it('never echoes a prompt that pings', () => {
    for (const text of texts) assertHarmless(encodePrompt(text, vocab).display);
  });

  it('never writes text that pings from any sequence of tokens', () => {
    const tokenPool = [...new Set(texts.flatMap((text) => tokenize(text)))].concat(pieces);
    for (let i = 0; i < 3000; i++) {
      const tokens = Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
        return tokenPool[Math.floor(next() * tokenPool.length)] as string;
      });
      assertHarmless(detokenize(tokens));
    }
  });
});

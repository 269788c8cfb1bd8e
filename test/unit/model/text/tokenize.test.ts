import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/model/text/tokenize.js';

describe('tokenize', () => {
  it('splits words and punctuation and lower-cases words', () => {
    expect(tokenize('Hello, World!')).toEqual(['hello', ',', 'world', '!']);
    expect(tokenize('The the THE')).toEqual(['the', 'the', 'the']);
  });

  it('splits contractions into a stem and a shared ending', () => {
    expect(tokenize("I don't think it's Tom's")).toEqual(['i', 'do', "n't", 'think', 'it', "'s", 'tom', "'s"]);
    expect(tokenize("we're they'll I've I'm he'd")).toEqual([
      'we', "'re", 'they', "'ll", 'i', "'ve", 'i', "'m", 'he', "'d",
    ]); // prettier-ignore
    expect(tokenize("can't won't")).toEqual(['ca', "n't", 'wo', "n't"]);
  });

  it('keeps words with an inner apostrophe that is no contraction whole', () => {
    expect(tokenize("y'all o'clock")).toEqual(["y'all", "o'clock"]);
  });

  it('reads curly apostrophes and quotes as straight ones', () => {
    expect(tokenize('it’s “fine”')).toEqual(['it', "'s", '"', 'fine', '"']);
  });

  it('keeps numbers with separators together', () => {
    expect(tokenize('3.5 out of 10, 1,000 people at 10:30')).toEqual([
      '3.5', 'out', 'of', '10', ',', '1,000', 'people', 'at', '10:30',
    ]); // prettier-ignore
  });

  it('keeps ISO dates and times whole, so that a pasted log adds no pieces of them to a vocabulary', () => {
    expect(tokenize('at 2016-08-08T20:15:00.000Z, since 2017-01-05.')).toEqual([
      'at', '2016-08-08t20:15:00.000z', ',', 'since', '2017-01-05', '.',
    ]); // prettier-ignore
    expect(tokenize('1999-12-31-x')).toEqual(['1999', '-', '12', '-', '31', '-', 'x']);
  });

  it('splits hyphenated words around a joining hyphen and reads a spaced dash apart', () => {
    expect(tokenize('a well-known actor - really')).toEqual(['a', 'well', '-', 'known', 'actor', '—', 'really']);
    expect(tokenize('yes -- no — maybe')).toEqual(['yes', '—', 'no', '—', 'maybe']);
  });

  it('folds runs of dots and of ! and ?', () => {
    expect(tokenize('well... ok…')).toEqual(['well', '...', 'ok', '...']);
    expect(tokenize('what?!?!?! wow!!!!!')).toEqual(['what', '?!?', 'wow', '!!!']);
  });

  it('keeps abbreviations with their dots', () => {
    expect(tokenize('the U.S. e.g. this')).toEqual(['the', 'u.s.', 'e.g.', 'this']);
  });

  it('keeps Unicode emoji, with skin tones, ZWJ sequences, flags and keycaps, as single tokens', () => {
    expect(tokenize('nice👍🏽 👨‍👩‍👧 🇫🇷 1️⃣ ❤️')).toEqual(['nice', '👍🏽', '👨‍👩‍👧', '🇫🇷', '1️⃣', '❤️']);
  });

  it('keeps emoticons and :shortcodes: as tokens', () => {
    expect(tokenize('lol :) :( ;) :P <3 :smile: ^_^ -_-')).toEqual([
      'lol', ':)', ':(', ';)', ':p', '<3', ':smile:', '^_^', '-_-',
    ]); // prettier-ignore
  });

  it('does not read a colon between words as an emoticon', () => {
    expect(tokenize('note:perfect')).toEqual(['note', ':', 'perfect']);
    expect(tokenize('https:// alone')).toEqual(['https', ':', '/', '/', 'alone']);
    expect(tokenize('hmm :/ ok :)/s')).toEqual(['hmm', ':/', 'ok', ':)', '/', 's']);
  });

  it('drops Markdown emphasis, strike-through and spoiler marks', () => {
    expect(tokenize('**bold** _it_ ~~gone~~ ||secret||')).toEqual(['bold', 'it', 'gone', 'secret']);
  });

  it('keeps words named like Object properties as plain words', () => {
    expect(tokenize('constructor toString hasOwnProperty __proto__')).toEqual([
      'constructor', 'tostring', 'hasownproperty', 'proto',
    ]); // prettier-ignore
  });

  it('keeps a decimal with no leading zero and words joined by an ampersand', () => {
    expect(tokenize('below .500 and r&b')).toEqual(['below', '.500', 'and', 'r&b']);
  });

  it('reads an acute accent used as an apostrophe as one', () => {
    expect(tokenize('isn´t')).toEqual(['is', "n't"]);
  });

  it('keeps arrows whole', () => {
    expect(tokenize('a -> b => c <- d x++')).toEqual(['a', '->', 'b', '=>', 'c', '<-', 'd', 'x', '++']);
  });

  it('keeps accented and non-Latin words', () => {
    expect(tokenize('Café NAÏVE привет')).toEqual(['café', 'naïve', 'привет']);
  });

  it('reads a decomposed accent like the composed one', () => {
    expect(tokenize('cafe\u0301')).toEqual(tokenize('caf\u00e9'));
  });

  it('drops zero-width characters, direction marks and control characters', () => {
    expect(tokenize('he\u200Bllo \u200Fworld\u202E \u0000x\u0007')).toEqual(['hello', 'world', 'x']);
  });

  it('never yields a token with whitespace or an empty token', () => {
    const tokens = tokenize('a\tb\nc  ```js\nconst x = 1;\n``` <http://x.y|a label with spaces> end');
    expect(tokens.every((token) => token !== '' && !/\s/.test(token))).toBe(true);
  });

  it('returns no tokens for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
  });

  it('does not throw on hostile input', () => {
    const inputs = [
      '\uD800 lone \uDFFF surrogates \uDBFF',
      'مرحبا \u202Bبالعالم\u202C',
      '\u200B\u200C\u200D\uFEFF',
      '🙂'.repeat(5000),
      'x'.repeat(10_000),
      '<!'.repeat(10_000),
      '<@'.repeat(5000) + '>',
      '`'.repeat(9999),
      ':'.repeat(10_000),
      'a@'.repeat(5000),
      'http://'.repeat(2000),
      '\u0301'.repeat(1000),
      String.fromCharCode(...Array.from({ length: 2048 }, (_, i) => i)),
    ];
    for (const input of inputs) expect(() => tokenize(input)).not.toThrow();
  });

  it('reads long runs of markup fragments in linear time (a quadratic scan would hang here)', () => {
    const fragments = ['a.b', '<!', '[![a](', '<http://a|', 'a@b.', 'x.com.', '@a.', ':a', '<a ', '-_', 'é.'];
    for (const fragment of fragments) {
      const text = fragment.repeat(Math.ceil(50_000 / fragment.length));
      expect(tokenize(text).length).toBeGreaterThan(0);
    }
  });

  it('tokenizes a very large message', () => {
    const tokens = tokenize('word, '.repeat(200_000));
    expect(tokens).toHaveLength(400_000);
  });
});

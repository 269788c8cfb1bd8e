import { describe, expect, it } from 'vitest';
import { detokenize } from '../../../../src/model/text/detokenize.js';
import { tokenize } from '../../../../src/model/text/tokenize.js';

const roundTrip = (text: string): string => detokenize(tokenize(text));

describe('detokenize', () => {
  it.each([
    ['hello, world!', 'hello, world!'],
    ["I don't know, it's Tom's car.", "I don't know, it's tom's car."],
    ["we're sure they'll say I've won and I'm right", "we're sure they'll say I've won and I'm right"],
    ["can't won't shouldn't", "can't won't shouldn't"],
    ['he said "hello there" to me', 'he said "hello there" to me'],
    ["she said 'hi' then", "she said 'hi' then"],
    ['a film (the best one) [really] {ok}', 'a film (the best one) [really] {ok}'],
    ['wait... what?! no!!!', 'wait... what?! no!!!'],
    ['a well-known - if odd - actor', 'a well-known - if odd - actor'],
    ['it costs $5 or 50% at 10:30, 3.5 stars', 'it costs $5 or 50% at 10:30, 3.5 stars'],
    ['the U.S. is big; e.g. texas', 'the u.s. is big; e.g. texas'],
    ['and/or', 'and/or'],
    ['lol :) :D <3 👍🏽', 'lol :) :D <3 👍🏽'],
    ['yes: no', 'yes: no'],
    ['what?!?! no', 'what?!? no'],
    ["the fans' seats", "the fans' seats"],
    ["he says 'yes' and the fans' seats", "he says 'yes' and the fans' seats"],
    ["he says 'hi'", "he says 'hi'"],
    ['missing new keyword for invoking constructor', 'missing new keyword for invoking constructor'],
    ['toString valueOf __proto__ hasOwnProperty', 'tostring valueof proto hasownproperty'],
  ])('round-trips %j', (text, expected) => {
    expect(roundTrip(text)).toBe(expected);
  });

  it('writes i and its contractions with a capital', () => {
    expect(detokenize(['i', 'think', 'i', "'m", 'sure', 'i', "'ll", 'go'])).toBe("I think I'm sure I'll go");
  });

  it('renders placeholders as plain, harmless text', () => {
    expect(detokenize(['hi', '<user>', 'and', '<role>', 'in', '<channel>'])).toBe('hi @someone and @group in #channel');
    expect(detokenize(['see', '<url>', 'or', '<code>', '<emoji>'])).toBe('see [link] or [code] :emoji:');
    expect(detokenize(['<everyone>', 'look'])).toBe('@\u200beveryone look');
  });

  it('skips <pad>, <unk> and <eos>', () => {
    expect(detokenize(['<pad>', 'a', '<unk>', 'b', '<eos>', '<pad>'])).toBe('a b');
    expect(detokenize(['<unk>'])).toBe('');
  });

  it('writes nothing for no tokens', () => {
    expect(detokenize([])).toBe('');
  });

  it('capitalises sentences only when asked', () => {
    const tokens = tokenize('did you see it? yes. it was great');
    expect(detokenize(tokens)).toBe('did you see it? yes. it was great');
    expect(detokenize(tokens, { capitalizeSentences: true })).toBe('Did you see it? Yes. It was great');
  });

  it('continues after context tokens without writing them again', () => {
    expect(detokenize(['it', 'was', 'great'], { context: ['did', 'you', 'see'] })).toBe(' it was great');
    expect(detokenize(["n't", 'know'], { context: ['i', 'do'] })).toBe("n't know");
    expect(detokenize([',', 'really'], { context: ['well'] })).toBe(', really');
    expect(detokenize(['"', 'and', 'left'], { context: ['he', 'said', '"', 'hi'] })).toBe('" and left');
    expect(detokenize(['hi'], { context: ['<eos>'] })).toBe('hi');
    expect(detokenize([], { context: ['a'] })).toBe('');
  });

  it('capitalises a sentence that starts after the context', () => {
    expect(detokenize(['yes', 'it', 'was'], { context: ['ok', '.'], capitalizeSentences: true })).toBe(' Yes it was');
  });

  it('does not throw on arbitrary tokens', () => {
    expect(() => detokenize(['\uD800', '', ' ', '"', "'", ')', '(', '-', '—', "n't", "'s"])).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { ReplyStatsCounter } from '../../../src/bench/reply-stats.js';
import { detokenize } from '../../../src/model/text/detokenize.js';
import { tokenize } from '../../../src/model/text/tokenize.js';

describe('ReplyStatsCounter', () => {
  const counter = new ReplyStatsCounter([
    'try npm install in the project folder first',
    'see https://example.com for the docs, @bob',
  ]);

  it('counts words (not punctuation) per reply and distinct bigrams over all replies', () => {
    const stats = counter.stats(['a b a b', 'c, d!']);
    expect(stats.replies).toBe(2);
    expect(stats.meanWords).toBe(3); // (4 + 2) / 2
    // lengths 4 and 2: sample variance ((4 - 3)^2 + (2 - 3)^2) / 1 = 2, standard error sqrt(2 / 2) = 1
    expect(stats.meanWordsStdError).toBeCloseTo(1, 12);
    expect(counter.stats(['a b c', 'a b c', 'a b c']).meanWordsStdError).toBe(0);
    // bigrams: a b, b a, a b | c ",", ", d", "d !": 6 bigrams, 5 distinct
    expect(stats.distinct2).toBeCloseTo(5 / 6, 12);
  });

  it('finds 6-grams copied verbatim from the messages, placeholders written as the bot writes them', () => {
    // A reply writes a link and a mention as placeholders, as the bot does: still a copy of that message.
    const rendered = detokenize(tokenize('see https://example.com for the docs, @bob'));
    expect(counter.stats([rendered]).copied6gramRate).toBe(1);
    const only = counter.stats(['npm install in the project folder']);
    expect(only.copied6gramRate).toBe(1);
    expect(counter.stats(['npm install in a different folder']).copied6gramRate).toBe(0);
  });

  it('gives zeros for no replies', () => {
    expect(counter.stats([])).toEqual({
      replies: 0,
      meanWords: 0,
      meanWordsStdError: 0,
      distinct2: 0,
      copied6gramRate: 0,
    });
  });
});

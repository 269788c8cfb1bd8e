import { describe, expect, it } from 'vitest';
import { RecentReplyNgrams } from '../../../../src/model/sampling/recent-reply-ngrams.js';

describe('RecentReplyNgrams', () => {
  it('names the tokens that would write a recent token pair again, with how often each was written', () => {
    const recent = new RecentReplyNgrams(2, [
      [5, 6, 7],
      [5, 6, 9, 5, 8],
    ]);
    expect(recent.after([1, 5])).toEqual(
      new Map([
        [6, 2],
        [8, 1],
      ]),
    );
    expect(recent.after([6])).toEqual(
      new Map([
        [7, 1],
        [9, 1],
      ]),
    );
    expect(recent.after([7])).toBeUndefined();
    expect(recent.after([])).toBeUndefined();
  });

  it('reads n-grams of size 2 or 3 from the end of the history', () => {
    const recent = new RecentReplyNgrams(3, [[1, 2, 3, 4]]);
    expect(recent.after([9, 1, 2])).toEqual(new Map([[3, 1]]));
    expect(recent.after([2])).toBeUndefined();
    expect(() => new RecentReplyNgrams(1, [])).toThrow(RangeError);
    expect(() => new RecentReplyNgrams(4, [])).toThrow(RangeError);
  });
});

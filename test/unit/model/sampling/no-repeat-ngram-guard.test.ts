import { describe, expect, it } from 'vitest';
import { NoRepeatNgramGuard } from '../../../../src/model/sampling/no-repeat-ngram-guard.js';

describe('NoRepeatNgramGuard', () => {
  it('bans the token that would repeat a trigram of the reply', () => {
    const guard = new NoRepeatNgramGuard(3);
    for (const token of [5, 6, 7, 5]) guard.push(token);
    expect(guard.banned()).toEqual([]);
    guard.push(6);
    expect(guard.banned()).toEqual([7]);
  });

  it('uses the end of the prompt as context but does not ban prompt trigrams', () => {
    const guard = new NoRepeatNgramGuard(3, [1, 2, 3, 4]);
    expect(guard.banned()).toEqual([]);
    guard.push(9); // trigram 3 4 9
    guard.push(3);
    guard.push(4);
    expect(guard.banned()).toEqual([9]);
  });

  it('is off at size 0 and refuses size 1', () => {
    const guard = new NoRepeatNgramGuard(0);
    for (let i = 0; i < 10; i++) guard.push(1);
    expect(guard.banned()).toEqual([]);
    expect(() => new NoRepeatNgramGuard(1)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { isCodedError } from '../../../../src/errors/coded-error.js';
import { resolveGenerationOptions } from '../../../../src/model/sampling/resolve-generation-options.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (isCodedError(error)) return error.code;
    throw error;
  }
  return undefined;
};

describe('resolveGenerationOptions', () => {
  it('fills top-k, top-p and a random seed', () => {
    const resolved = resolveGenerationOptions({ temperature: 0.8, maxWords: 40 });
    expect(resolved).toMatchObject({ temperature: 0.8, maxWords: 40, topK: 0, topP: 1 });
    expect(Number.isInteger(resolved.seed) && resolved.seed >= 0 && resolved.seed < 2 ** 32).toBe(true);
  });

  it('keeps a given seed reproducible and distinct', () => {
    const seed = (s: number) => resolveGenerationOptions({ temperature: 1, maxWords: 1, seed: s }).seed;
    expect(seed(7)).toBe(seed(7));
    expect(seed(-1)).not.toBe(seed(2 ** 32 - 1 + 2 ** 33));
    expect(new Set([seed(1), seed(2), seed(2 ** 32 + 1)]).size).toBe(3);
  });

  it.each([-1, 3, Number.NaN, Infinity, 2.0001])('rejects temperature %s with a message that names the range', (t) => {
    expect(codeOf(() => resolveGenerationOptions({ temperature: t, maxWords: 10 }))).toBe('INVALID_TEMPERATURE');
    expect(() => resolveGenerationOptions({ temperature: t, maxWords: 10 })).toThrow(/from 0 to 2/);
  });

  it('accepts the edges 0 and 2', () => {
    expect(resolveGenerationOptions({ temperature: 0, maxWords: 1 }).temperature).toBe(0);
    expect(resolveGenerationOptions({ temperature: 2, maxWords: 1000 }).temperature).toBe(2);
  });

  it.each([0, -5, 1.5, Number.NaN, 1001])('rejects maxWords %s', (words) => {
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: words }))).toBe('INVALID_MAX_WORDS');
  });

  it.each([-1, 1.5, Number.NaN, 11])('rejects minWords %s (from 0 to maxWords 10)', (minWords) => {
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 10, minWords }))).toBe(
      'INVALID_MIN_WORDS',
    );
  });

  it('takes minWords from 0 up to maxWords, 0 when not given', () => {
    expect(resolveGenerationOptions({ temperature: 1, maxWords: 10, minWords: 10 }).minWords).toBe(10);
    expect(resolveGenerationOptions({ temperature: 1, maxWords: 10 }).minWords).toBe(0);
  });

  it('rejects a bad top-k, top-p or seed', () => {
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 5, topK: -1 }))).toBe('INVALID_TOP_K');
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 5, topK: 2.5 }))).toBe('INVALID_TOP_K');
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 5, topP: 0 }))).toBe('INVALID_TOP_P');
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 5, topP: 1.5 }))).toBe('INVALID_TOP_P');
    expect(codeOf(() => resolveGenerationOptions({ temperature: 1, maxWords: 5, seed: 0.5 }))).toBe('INVALID_SEED');
  });
});

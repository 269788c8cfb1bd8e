import { randomInt } from 'node:crypto';
import type { GenerationOptions } from './text-generator.js';
import { CodedError } from '../../errors/coded-error.js';

/** The most words one request may ask for; the bot's own limit (`MAX_WORDS`) is lower. */
export const MAX_WORDS_LIMIT = 1000;

/** Options after validation: every field set, `seed` an unsigned 32-bit integer. */
export interface ResolvedGenerationOptions {
  /** In [0, 2]; 0 means greedy (always the most likely token). */
  temperature: number;
  maxWords: number;
  /** `<eos>` is not drawn before this many words; in [0, maxWords]. */
  minWords: number;
  /** 0 means off. */
  topK: number;
  /** 1 means off. */
  topP: number;
  seed: number;
}

/**
 * Validates sampling options and fills the optional ones. Nothing is clamped: a value outside its
 * range is refused with a `CodedError` (a code of `generationOptionCodes`) whose message names the range, because a
 * silently changed temperature would make a channel's setting lie.
 *
 * - `temperature`: a number in [0, 2] (0 = greedy). NaN, -1 and 3 are refused.
 * - `maxWords`: an integer from 1 to {@link MAX_WORDS_LIMIT}.
 * - `minWords`: an integer from 0 to `maxWords` (0 or undefined: the reply still has at least one word).
 * - `topK`: an integer >= 0 (0 or undefined = off).
 * - `topP`: a number in (0, 1] (1 or undefined = off).
 * - `seed`: a safe integer (any sign); undefined picks a random seed.
 */
export function resolveGenerationOptions(options: GenerationOptions): ResolvedGenerationOptions {
  const { temperature, maxWords, minWords = 0, topK = 0, topP = 1, seed } = options;
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) {
    throw new CodedError(
      'INVALID_TEMPERATURE',
      `temperature must be a number from 0 to 2 (0 = always the most likely word), got ${String(temperature)}`,
    );
  }
  if (!Number.isInteger(maxWords) || maxWords < 1 || maxWords > MAX_WORDS_LIMIT) {
    throw new CodedError(
      'INVALID_MAX_WORDS',
      `maxWords must be a whole number from 1 to ${MAX_WORDS_LIMIT}, got ${String(maxWords)}`,
    );
  }
  if (!Number.isInteger(minWords) || minWords < 0 || minWords > maxWords) {
    throw new CodedError(
      'INVALID_MIN_WORDS',
      `minWords must be a whole number from 0 to maxWords (${maxWords}), got ${String(minWords)}`,
    );
  }
  if (!Number.isInteger(topK) || topK < 0) {
    throw new CodedError('INVALID_TOP_K', `topK must be a whole number >= 0 (0 = off), got ${String(topK)}`);
  }
  if (typeof topP !== 'number' || !(topP > 0 && topP <= 1)) {
    throw new CodedError('INVALID_TOP_P', `topP must be a number above 0 and at most 1 (1 = off), got ${String(topP)}`);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new CodedError(
      'INVALID_SEED',
      `seed must be a whole number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, got ${String(seed)}`,
    );
  }
  return {
    temperature,
    maxWords,
    minWords,
    topK,
    topP,
    seed: seed === undefined ? randomInt(2 ** 32) : foldSeed(seed),
  };
}

/** Folds a safe integer (up to 53 bits, any sign) into 32 bits, keeping high bits significant. */
function foldSeed(seed: number): number {
  const high = Math.floor(seed / 2 ** 32);
  return (seed ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

import { PLACEHOLDER_TOKENS, SPECIAL_TOKENS, UNK_ID, isReservedToken } from './special-tokens.js';
import { CodedError } from '../../errors/coded-error.js';

export interface VocabularyBuildOptions {
  /** Most tokens in the vocabulary, specials and placeholders included (at least 10). */
  maxSize: number;
  /** Words seen fewer times than this are left out (default 1). */
  minCount?: number;
}

export interface VocabularyJSON {
  version: 1;
  tokens: string[];
}

/**
 * Token <-> id mapping, saved with the model. Ids 0..2 are `<pad>`, `<unk>`, `<eos>`; the
 * placeholders follow; then words, most frequent first. Immutable.
 */
export class Vocabulary {
  readonly #tokens: readonly string[];
  readonly #ids: ReadonlyMap<string, number>;

  private constructor(tokens: readonly string[]) {
    this.#tokens = tokens;
    this.#ids = new Map(tokens.map((token, id) => [token, id]));
  }

  /**
   * Specials at their fixed ids, then every placeholder, then the most frequent words with at
   * least `minCount` occurrences, ties broken by code-unit order so that a build is deterministic.
   */
  static build(counts: ReadonlyMap<string, number>, { maxSize, minCount = 1 }: VocabularyBuildOptions): Vocabulary {
    const reserved = [...SPECIAL_TOKENS, ...PLACEHOLDER_TOKENS];
    if (!Number.isInteger(maxSize) || maxSize < reserved.length) {
      throw new CodedError(
        'VOCABULARY_OPTIONS_INVALID',
        `maxSize must be an integer >= ${reserved.length} (got ${maxSize})`,
      );
    }
    if (!Number.isFinite(minCount)) {
      throw new CodedError('VOCABULARY_OPTIONS_INVALID', `minCount must be a number (got ${minCount})`);
    }
    const words = [...counts]
      .filter(([token, count]) => count >= minCount && count > 0 && token !== '' && !isReservedToken(token))
      .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxSize - reserved.length)
      .map(([token]) => token);
    return new Vocabulary([...reserved, ...words]);
  }

  /** Validates saved data (`toJSON()` output) and throws a `CodedError` (`VOCABULARY_INVALID`) naming the problem. */
  static fromJSON(json: unknown): Vocabulary {
    const fail = (problem: string): never => {
      throw new CodedError('VOCABULARY_INVALID', `Invalid vocabulary: ${problem}`);
    };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('expected an object');
    const { version, tokens } = json as Record<string, unknown>;
    if (version !== 1) return fail(`unsupported version ${JSON.stringify(version)} (expected 1)`);
    if (!Array.isArray(tokens)) return fail('tokens must be an array of strings');
    const seen = new Set<string>();
    tokens.forEach((token: unknown, id) => {
      if (typeof token !== 'string' || token === '') fail(`token ${id} must be a non-empty string`);
      if (seen.has(token as string)) fail(`token ${JSON.stringify(token)} appears twice`);
      seen.add(token as string);
    });
    SPECIAL_TOKENS.forEach((special, id) => {
      if (tokens[id] !== special) fail(`token ${id} must be ${special}`);
    });
    const missing = PLACEHOLDER_TOKENS.filter((placeholder) => !seen.has(placeholder));
    if (missing.length > 0) fail(`missing placeholder ${missing.join(', ')}`);
    return new Vocabulary(tokens as string[]);
  }

  get size(): number {
    return this.#tokens.length;
  }

  /** The id of `token`, or `UNK_ID` when the vocabulary lacks it. */
  idOf(token: string): number {
    return this.#ids.get(token) ?? UNK_ID;
  }

  /** The token of `id`; throws a `CodedError` (`TOKEN_ID_OUT_OF_RANGE`) for an id outside `[0, size)`. */
  tokenOf(id: number): string {
    const token = this.#tokens[id];
    if (token === undefined) {
      throw new CodedError('TOKEN_ID_OUT_OF_RANGE', `token id ${id} is outside [0, ${this.size})`);
    }
    return token;
  }

  has(token: string): boolean {
    return this.#ids.has(token);
  }

  encode(tokens: readonly string[]): Int32Array {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.idOf(tokens[i] as string);
    return ids;
  }

  /** A new vocabulary with the tokens it lacks appended (existing ids unchanged), e.g. a channel's words. */
  withAddedTokens(tokens: readonly string[]): Vocabulary {
    const added = new Set<string>();
    for (const token of tokens) {
      if (token !== '' && !this.#ids.has(token)) added.add(token);
    }
    return added.size === 0 ? this : new Vocabulary([...this.#tokens, ...added]);
  }

  toJSON(): VocabularyJSON {
    return { version: 1, tokens: [...this.#tokens] };
  }
}

import { isReservedToken } from './special-tokens.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The channel's own words: tokens seen at least `minCount` times in `counts` that `vocab` lacks
 * (jargon), most frequent first (ties by code-unit order), at most `maxWords`; never one of `excluded`
 * (the channel's authors' names).
 */
export function channelWords(
  counts: ReadonlyMap<string, number>,
  vocab: Vocabulary,
  { minCount, maxWords, excluded }: { minCount: number; maxWords: number; excluded?: ReadonlySet<string> },
): string[] {
  return [...counts]
    .filter(
      ([token, count]) => count >= minCount && !vocab.has(token) && !isReservedToken(token) && !excluded?.has(token),
    )
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxWords)
    .map(([token]) => token);
}

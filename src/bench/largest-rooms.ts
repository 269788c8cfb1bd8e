import { readCorpus } from '../model/corpus/read-corpus.js';

/** The `count` rooms (`channel` fields) of a JSONL chat corpus with the most messages, largest first. */
export async function largestRooms(corpus: string, count: number): Promise<string[]> {
  const counts = new Map<string, number>();
  for await (const message of readCorpus(corpus, 'jsonl')) {
    if (message.channel !== undefined) counts.set(message.channel, (counts.get(message.channel) ?? 0) + 1);
  }
  if (counts.size === 0) throw new Error(`${corpus} has no "channel" field: name the rooms`);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([room]) => room);
}

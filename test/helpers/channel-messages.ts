import type { StoredMessage } from '../../src/history/stored-message.js';

const SUBJECTS = ['the dog', 'my cat', 'our team', 'the band', 'the game'];
const ENDINGS = ['looks great', 'was fun', 'played well', 'ran fast', 'is tired'];

/**
 * Chat lines in the tiny fixture model's words, with `word` (a word the base model lacks) in most of
 * them, by `authors` in turn: a channel whose own word a fine-tuned model should learn.
 */
export function channelMessages(word: string, count: number, authors = ['u1', 'u2']): StoredMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const subject = SUBJECTS[i % SUBJECTS.length]!;
    const ending = ENDINGS[(i * 3) % ENDINGS.length]!;
    const text = i % 4 === 3 ? `${subject} ${ending} .` : `${word} ${word} ! ${subject} ${ending} with ${word} .`;
    return { text, author: authors[i % authors.length]! };
  });
}

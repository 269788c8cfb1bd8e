import type { ContinueVia } from '../commands/chat-command.js';
import type { GenerationResult } from '../model/sampling/text-generator.js';
import { neutralizePings } from '../model/text/neutralize-pings.js';
import { renderReply } from '../replies/reply-catalogue.js';

/** Unknown words a note names; the rest it counts. */
const NAMED_WORDS = 3;
/** A named word's characters at most (a longer one is cut, with an ellipsis). */
const WORD_CHARS = 24;

/**
 * The line under a continuation whose prompt the model mostly could not read: none of the prompt's
 * words are known to it, or at least two and at least half of them are not (each was read as `<unk>`,
 * so the continuation rests on little or nothing of the prompt: a language or a jargon the model has
 * not learnt). It names the first few and says what can teach them. A typo among known words gets no
 * note (`helo there` neither), nor does chatter (the bot's own initiative). Undefined: no note.
 */
export function unknownWordsNote(
  result: Pick<GenerationResult, 'unknownWords' | 'unknownShare'>,
  via?: ContinueVia,
): string | undefined {
  const unknown = result.unknownWords ?? [];
  const share = result.unknownShare ?? 0;
  const mostlyUnknown = share >= 1 || (unknown.length >= 2 && share >= 0.5);
  if (via === 'chatter' || unknown.length === 0 || !mostlyUnknown) return undefined;
  const words = unknown.slice(0, NAMED_WORDS).map((word) => `\`${neutralizePings(cut(word.replaceAll('`', '')))}\``);
  return renderReply('continue.unknownWords', { words, more: unknown.length - words.length });
}

function cut(word: string): string {
  const chars = [...word];
  return chars.length > WORD_CHARS ? `${chars.slice(0, WORD_CHARS - 1).join('')}…` : word;
}

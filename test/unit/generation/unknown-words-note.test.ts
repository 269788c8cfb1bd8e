import { describe, expect, it } from 'vitest';
import { unknownWordsNote } from '../../../src/generation/unknown-words-note.js';

const retrain = "An admin's /retrain on this channel can teach me the words it uses often.";

describe('unknownWordsNote', () => {
  it('names the words when at least half of the prompt is unknown to the model', () => {
    expect(unknownWordsNote({ unknownWords: ['xyzzy'], unknownShare: 1 })).toBe(`(New to me: \`xyzzy\`. ${retrain})`);
    expect(unknownWordsNote({ unknownWords: ['xyzzy', 'plugh'], unknownShare: 0.5 })).toBe(
      `(New to me: \`xyzzy\` and \`plugh\`. ${retrain})`,
    );
    expect(unknownWordsNote({ unknownWords: ['今日', 'は', 'いい', '天気', 'です', 'ね'], unknownShare: 1 })).toBe(
      `(New to me: \`今日\`, \`は\`, \`いい\` and 3 more. ${retrain})`,
    );
  });

  it('says nothing of a typo among known words, of a prompt it knows, or of one without words', () => {
    expect(unknownWordsNote({ unknownWords: ['qwzx'], unknownShare: 0.25 })).toBeUndefined();
    // `helo there`: half unknown, but one typo.
    expect(unknownWordsNote({ unknownWords: ['helo'], unknownShare: 0.5 })).toBeUndefined();
    expect(unknownWordsNote({ unknownWords: [], unknownShare: 0 })).toBeUndefined();
    expect(unknownWordsNote({})).toBeUndefined();
  });

  it('says nothing when the bot chatters on its own, and does for a mention or a chosen message', () => {
    const result = { unknownWords: ['xyzzy'], unknownShare: 1 };
    expect(unknownWordsNote(result, 'chatter')).toBeUndefined();
    expect(unknownWordsNote(result, 'mention')).toContain('`xyzzy`');
    expect(unknownWordsNote(result, 'message')).toContain('`xyzzy`');
  });

  it('cuts a long word, and keeps a word from breaking out of its code span or pinging', () => {
    const note = unknownWordsNote({
      unknownWords: ['supercalifragilisticexpialidociousness', 'a`b', 'www.evil.example'],
      unknownShare: 1,
    })!;
    expect(note).toContain('`supercalifragilisticexp…`');
    expect(note).toContain('`ab`');
    // As the prompt's echo: a zero-width space keeps the domain from becoming a link.
    expect(note).toContain('`www\u200b.evil.example`');
  });
});

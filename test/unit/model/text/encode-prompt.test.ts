import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../../src/model/corpus/count-tokens.js';
import { encodePrompt } from '../../../../src/model/text/encode-prompt.js';
import { EOS_ID, UNK_ID } from '../../../../src/model/text/special-tokens.js';
import { Vocabulary } from '../../../../src/model/text/vocabulary.js';

const vocab = Vocabulary.build(await countTokens(['did you see the game ?', "i do n't know , hi"]), { maxSize: 100 });

describe('encodePrompt', () => {
  it('starts with EOS_ID and feeds known words by id', () => {
    const { ids, unknownWords } = encodePrompt('Did you see the game?', vocab);
    expect(ids).toEqual([EOS_ID, ...['did', 'you', 'see', 'the', 'game', '?'].map((t) => vocab.idOf(t))]);
    expect(unknownWords).toEqual([]);
  });

  it('feeds unknown words as <unk> but echoes them as typed', () => {
    const { ids, display, unknownWords } = encodePrompt('did you see the Zorblax match', vocab);
    expect(ids.slice(-2)).toEqual([UNK_ID, UNK_ID]);
    expect(display).toBe('did you see the Zorblax match');
    expect(unknownWords).toEqual(['zorblax', 'match']);
  });

  it('lists each unknown word once', () => {
    expect(encodePrompt('blip blip blop', vocab).unknownWords).toEqual(['blip', 'blop']);
  });

  it('counts the share of words it lacks; emoji and punctuation are not words', () => {
    expect(encodePrompt('did you see the game?', vocab).unknownShare).toBe(0);
    expect(encodePrompt('blip blip blop', vocab).unknownShare).toBe(1);
    expect(encodePrompt('did you see blip 🎉 !!', vocab)).toMatchObject({ unknownWords: ['blip'], unknownShare: 0.25 });
    expect(encodePrompt('🎉🎉 …', vocab)).toMatchObject({ unknownWords: [], unknownShare: 0 });
    // Slack's emoji shortcodes have letters but are emoji.
    expect(encodePrompt(':partyparrot: did you see :+1:', vocab)).toMatchObject({ unknownWords: [], unknownShare: 0 });
    expect(encodePrompt('', vocab).unknownShare).toBe(0);
  });

  it('collapses whitespace and changes nothing else', () => {
    expect(encodePrompt('  Hi,\n\tthere   you  ', vocab).display).toBe('Hi, there you');
  });

  it.each([
    ['<@123> did you', '@someone did you'],
    ['<@!123> <@&9> <#1>', '@someone @group #channel'],
    ['@everyone and @here and @channel', '@\u200beveryone and @\u200bhere and @\u200bchannel'],
    ['<!channel> <!here> <!everyone> <!here|here>', '@\u200bchannel @\u200bhere @\u200beveryone @\u200bhere'],
    ['@Here now', '@\u200bHere now'],
    ['<@U1> in <#C1|general> ask <!subteam^S1|@team>', '@someone in #channel ask @group'],
    ['see <http://a|b>', 'see b'],
    ['see <https://example.com/x?y=1>', 'see https\u200b://example.\u200bcom/x?y=1'],
    ['see <http://example.com|example.com>', 'see example.\u200bcom'],
    ['go to https://evil.example/login now', 'go to https\u200b://evil.example/login now'],
    ['or www.example.org and reddit.com/r/x', 'or www\u200b.example.\u200borg and reddit.\u200bcom/r/x'],
    ['[click](https://x.io)', '[click](https\u200b://x.\u200bio)'],
    ['mail me at ann@example.net', 'mail me at ann@example.\u200bnet'],
    ['nice <:pepe:123>', 'nice :pepe:'],
    ['at <!date^1392734382^{date}|Feb 18, 2014>', 'at Feb 18, 2014'],
    ['@bob hi', '@bob hi'],
  ])('neutralises the markup of %j', (prompt, display) => {
    expect(encodePrompt(prompt, vocab).display).toBe(display);
  });

  it('feeds markup as placeholders', () => {
    const { ids } = encodePrompt('<@123> hi', vocab);
    expect(ids).toEqual([EOS_ID, vocab.idOf('<user>'), vocab.idOf('hi')]);
  });

  it('does not throw on emoji-only or 10,000-character prompts', () => {
    expect(encodePrompt('🙂🙂🎉', vocab).ids[0]).toBe(EOS_ID);
    const long = encodePrompt('word '.repeat(2000), vocab);
    expect(long.ids).toHaveLength(2001);
  });

  it('gives only EOS_ID for an empty prompt', () => {
    expect(encodePrompt('', vocab)).toEqual({ ids: [EOS_ID], display: '', unknownWords: [], unknownShare: 0 });
  });
});

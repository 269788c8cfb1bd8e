import { describe, expect, it } from 'vitest';
import { cleanMessage, MAX_MESSAGE_CHARS } from '../../../src/history/clean-message.js';

describe('cleanMessage', () => {
  it('keeps what a person wrote, trimmed, with author and time', () => {
    expect(cleanMessage({ text: '  see you at <@U1> standup ', author: 'U2', timestamp: 't' })).toEqual({
      text: 'see you at <@U1> standup',
      author: 'U2',
      timestamp: 't',
    });
  });

  it.each([
    [{ text: 'hello', isBot: true }, 'bot'],
    [{ text: 'joined', isSystem: true }, 'system'],
    [{ text: '/continue the game' }, 'command'],
    [{ text: '!retrain 500' }, 'command'],
    [{ text: '   ' }, 'empty'],
    [{ text: 'https://example.com/a' }, 'link-only'],
    [{ text: '<https://example.com|look> <@U1> !' }, 'link-only'],
    [{ text: 'hello', author: 'gone' }, 'opted-out'],
  ])('leaves out %j as %s', (message, reason) => {
    expect(cleanMessage(message, { optedOut: new Set(['gone']) })).toBe(reason);
  });

  it('keeps a message that has a word besides its link', () => {
    expect(cleanMessage({ text: 'look https://example.com' })).toEqual({ text: 'look https://example.com' });
  });
});

describe('cleanMessage on a huge message', () => {
  it(`cuts it to ${MAX_MESSAGE_CHARS} characters at a space, never inside a character`, () => {
    const huge = 'word '.repeat(4_000_000); // 20 MB
    const kept = cleanMessage({ text: huge });
    expect(typeof kept).toBe('object');
    const text = (kept as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(text.length).toBeGreaterThan(MAX_MESSAGE_CHARS - 10);
    expect(text.endsWith('word')).toBe(true);
    const emoji = (cleanMessage({ text: `a${'😀'.repeat(3_000)}` }) as { text: string }).text;
    expect(emoji.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(emoji.endsWith('😀')).toBe(true);
  });
});

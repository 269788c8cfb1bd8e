import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/commands/channel-ref.js';
import { recentContext, withoutPromptMessage, type RecentMessages } from '../../../src/history/recent-context.js';
import type { StoredMessage } from '../../../src/history/stored-message.js';

const channel: ChannelRef = { platform: 'console', workspace: 'local', channel: 'general' };

/** A channel's stored history, oldest first, read as the Redis store reads its newest messages. */
function history(messages: StoredMessage[]): RecentMessages {
  return { recent: async (_channel, limit) => messages.slice(-limit) };
}

describe('recentContext', () => {
  it('gives the newest 8 messages, oldest first', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `message ${i}`);
    const stored = texts.map((text) => ({ text }));
    expect(await recentContext(history(stored), channel)).toEqual(texts.slice(2));
  });

  it('gives the end of a newest message longer than 2,000 characters (an import keeps up to 4,000), from a word start', async () => {
    const words = Array.from({ length: 500 }, (_, i) => `w${i}`); // 2,389 characters
    const long = words.join(' ');
    const context = await recentContext(history([{ text: 'older' }, { text: long }]), channel);
    expect(context).toHaveLength(1);
    expect(context[0]!.length).toBeLessThanOrEqual(2_000);
    expect(context[0]!.length).toBeGreaterThan(1_990);
    expect(long.endsWith(context[0]!)).toBe(true);
    expect(words).toContain(context[0]!.split(' ')[0]); // a whole word, not the end of one
  });

  it('never cuts a character in two', async () => {
    const long = `${'😀'.repeat(1_500)}!`; // 3,001 UTF-16 units, no space: the last 2,000 start in an emoji
    const [tail] = await recentContext(history([{ text: long }]), channel);
    expect(tail).toBe(`${'😀'.repeat(999)}!`);
  });

  it('writes a name addressing one of the authors at a message start as the user placeholder, as training does', async () => {
    const stored = [
      { text: 'anyone around?', author: 'Bob' },
      { text: 'bob: try this, ana', author: 'ana' },
      { text: 'ana, bob: thanks', author: 'carl' },
      { text: 'dave: who is that', author: 'bob' },
    ];
    expect(await recentContext(history(stored), channel)).toEqual([
      'anyone around?',
      '@user: try this, ana',
      '@user, @user: thanks',
      'dave: who is that',
    ]);
  });
});

describe('withoutPromptMessage', () => {
  it('drops the newest message when it is the prompt’s own (a mention stored by live learning)', () => {
    const context = ['earlier talk', '<@123> did you see  the game'];
    expect(withoutPromptMessage(context, 'did you see the game')).toEqual(['earlier talk']);
  });

  it('keeps a context whose newest message is something else, and older copies of the prompt', () => {
    expect(withoutPromptMessage(['hello there', 'new topic'], 'hello there')).toEqual(['hello there', 'new topic']);
    expect(withoutPromptMessage(['a', 'b'], '')).toEqual(['a', 'b']);
    expect(withoutPromptMessage([], 'x')).toEqual([]);
  });
});

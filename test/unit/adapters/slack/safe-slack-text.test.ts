import { describe, expect, it } from 'vitest';
import { safeSlackText } from '../../../../src/adapters/slack/safe-slack-text.js';
import { slackTextToPlain } from '../../../../src/adapters/slack/slack-text-to-plain.js';

describe('safeSlackText', () => {
  it('escapes &, < and > so no mention, broadcast, user group or link markup survives', () => {
    const text = safeSlackText('<@U1> <!channel> <!here> <!everyone> <!subteam^S1|@devs> <https://x.y|click> a&b');
    expect(text).not.toMatch(/[<>]/);
    expect(text).toBe(
      '&lt;@U1&gt; &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S1|@devs&gt; &lt;https://x.y|click&gt; a&amp;b',
    );
  });

  it('breaks literal @channel, @here and @everyone with an invisible word joiner', () => {
    expect(safeSlackText('hey @here and @Channel, @everyone')).toBe(
      'hey @\u2060here and @\u2060Channel, @\u2060everyone',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(safeSlackText('the weather today is fine')).toBe('the weather today is fine');
  });

  it('round-trips through slackTextToPlain to what was written', () => {
    const written = 'a <b> & c';
    expect(slackTextToPlain(safeSlackText(written))).toBe(written);
  });
});

describe('slackTextToPlain', () => {
  it('resolves mentions, channels, broadcasts, user groups and links to readable text', () => {
    expect(
      slackTextToPlain('<@U1|ann> <@U2> <#C1|dev> <!here> <!subteam^S1|@devs> <https://x.y|docs> <https://x.y>'),
    ).toBe('@ann @U2 #dev @here @devs docs https://x.y');
  });
});

import { describe, expect, it } from 'vitest';
import { defuseMentions } from '../../../../src/adapters/discord/defuse-mentions.js';
import { safeSlackText } from '../../../../src/adapters/slack/safe-slack-text.js';
import { neutralizePings } from '../../../../src/model/text/neutralize-pings.js';

const ZWSP = '\u200b';
const PINGS = 'hi <@123> <@&7> <#42> <!here> @everyone @Here ＠channel';

describe('neutralizePings', () => {
  it('breaks mentions, mass mentions and links and keeps every word', () => {
    const out = neutralizePings(`${PINGS} see https://x.io and www.reddit.com`);
    expect(out).not.toMatch(/<[@#!]|[@＠](everyone|here|channel)|https:\/\/|www\.|reddit\.com/i);
    expect(out.replaceAll(ZWSP, '')).toBe(`${PINGS} see https://x.io and www.reddit.com`);
  });

  it('applies only the rules asked for, with the breaker asked for', () => {
    expect(neutralizePings('@here https://x.io', { kinds: ['massMentions'], breaker: '\u2060' })).toBe(
      '@\u2060here https://x.io',
    );
  });

  it('changes nothing the second time', () => {
    const once = neutralizePings(`${PINGS} https://x.io`);
    expect(neutralizePings(once)).toBe(once);
  });
});

describe('the platform renderers of the same rules', () => {
  it('Discord: no mention or mass mention survives, links are left to the model and the embed flag', () => {
    const out = defuseMentions(`${PINGS} https://x.io`);
    expect(out).not.toMatch(/<[@#!]|[@＠](everyone|here|channel)/i);
    expect(out).toContain('https://x.io');
  });

  it('Slack: escaped markup and a word joiner in mass mentions', () => {
    expect(safeSlackText('<@U1> @channel')).toBe('&lt;@U1&gt; @\u2060channel');
  });
});

import { describe, expect, it } from 'vitest';
import { slackMentionPrompt } from '../../../../src/adapters/slack/slack-mention-prompt.js';

describe('slackMentionPrompt', () => {
  it('removes the bot’s mention, with or without a label, and reads the rest as plain text', () => {
    expect(slackMentionPrompt('<@UBOT> the weather &amp; you', 'UBOT')).toBe('the weather & you');
    expect(slackMentionPrompt('so <@UBOT|lstm-bot>  what now', 'UBOT')).toBe('so what now');
  });

  it('keeps other mentions as people read them', () => {
    expect(slackMentionPrompt('<@UBOT> ask <@U123|ann>', 'UBOT')).toBe('ask @ann');
  });

  it('is empty when the message is only the mention', () => {
    expect(slackMentionPrompt('<@UBOT>', 'UBOT')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { mentionPrompt } from '../../../../src/adapters/discord/mention-prompt.js';

const BOT = '111111111111111111';

describe('mentionPrompt', () => {
  it('removes the bot’s mention, in either form and anywhere, and closes up the spaces', () => {
    expect(mentionPrompt(`<@${BOT}> the weather today`, BOT)).toBe('the weather today');
    expect(mentionPrompt(`the weather <@!${BOT}>  today`, BOT)).toBe('the weather today');
    expect(mentionPrompt(`<@${BOT}> hi <@${BOT}>`, BOT)).toBe('hi');
  });

  it('keeps other users’ mentions and the lines of the text (answers make mentions inert)', () => {
    expect(mentionPrompt(`<@${BOT}> ask <@222222222222222222>\nabout it`, BOT)).toBe(
      'ask <@222222222222222222>\nabout it',
    );
  });

  it('is empty when the message is only the mention', () => {
    expect(mentionPrompt(`  <@${BOT}>  `, BOT)).toBe('');
  });
});

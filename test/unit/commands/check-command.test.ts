import { describe, expect, it } from 'vitest';
import type { ChatCommand } from '../../../src/commands/chat-command.js';
import { checkBounds, checkRights } from '../../../src/commands/check-command.js';
import { UserError } from '../../../src/replies/user-error.js';
import { admin, channelManager, member, testLimits as limits } from '../../helpers/command-fixtures.js';

function refusal(check: () => void): unknown {
  try {
    check();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return { ...(error as UserError) };
  }
}

describe('checkRights', () => {
  it.each<[ChatCommand, string]>([
    [{ name: 'temperature', action: 'set', value: 1 }, 'temperature.forbidden'],
    [{ name: 'temperature', action: 'reset' }, 'temperature.forbidden'],
    [{ name: 'retrain', action: 'start' }, 'retrain.forbidden'],
    [{ name: 'retrain', action: 'rollback' }, 'retrain.forbidden'],
    [{ name: 'forget', scope: 'channel' }, 'forget.forbidden'],
    [{ name: 'settings', action: 'min_words', value: 12 }, 'settings.forbidden'],
    [{ name: 'settings', action: 'chatter' }, 'settings.forbidden'],
    [{ name: 'settings', action: 'temperature', value: 1 }, 'settings.forbidden'],
  ])('refuses %o to a member with %s', (command, key) => {
    expect(refusal(() => checkRights(command, member))).toMatchObject({ key });
    expect(refusal(() => checkRights(command, admin))).toBeUndefined();
  });

  it('lets everyone continue, see the temperature and status, and forget themselves', () => {
    const open: ChatCommand[] = [
      { name: 'continue', prompt: 'hi' },
      { name: 'temperature', action: 'show' },
      { name: 'status' },
      { name: 'forget', scope: 'me' },
    ];
    for (const command of open) expect(refusal(() => checkRights(command, member))).toBeUndefined();
  });

  it('lets a channel manager change the temperature but not retrain', () => {
    expect(refusal(() => checkRights({ name: 'temperature', action: 'reset' }, channelManager))).toBeUndefined();
    expect(refusal(() => checkRights({ name: 'retrain', action: 'cancel' }, channelManager))).toMatchObject({
      key: 'retrain.forbidden',
    });
  });
});

describe('checkBounds', () => {
  it('refuses fewer than 10 /retrain messages, the one minimum of every platform', () => {
    expect(refusal(() => checkBounds({ name: 'retrain', action: 'start', messages: 9 }, limits))).toMatchObject({
      key: 'retrain.badMessages',
      params: [{ min: 10, max: 5_000 }],
    });
    expect(refusal(() => checkBounds({ name: 'retrain', action: 'start', messages: 10 }, limits))).toBeUndefined();
    expect(refusal(() => checkBounds({ name: 'retrain', action: 'start', messages: 5_001 }, limits))).toMatchObject({
      key: 'retrain.badMessages',
    });
  });

  it.each([-0.1, 2.01, Number.NaN])('rejects a temperature of %d with a message that names the range', (value) => {
    const expected = { key: 'temperature.outOfRange', params: [{ min: 0, max: 2 }] };
    expect(refusal(() => checkBounds({ name: 'temperature', action: 'set', value }, limits))).toMatchObject(expected);
    expect(refusal(() => checkBounds({ name: 'continue', prompt: 'hi', temperature: value }, limits))).toMatchObject(
      expected,
    );
  });

  it.each(['\u0000\u0000\u0000', '\u200b\u200b', ' \u200b\u00ad\ufeff\u2060 ', '\u0301\u200d'])(
    'refuses a prompt %j of only NUL, zero-width or joining characters as empty, with the usage hint',
    (prompt) => {
      expect(refusal(() => checkBounds({ name: 'continue', prompt }, limits))).toMatchObject({
        key: 'continue.emptyPrompt',
      });
    },
  );

  it('counts the prompt in characters as users see them: 1,000 emoji or accented letters fit in 1,000', () => {
    for (const character of ['😀', 'e\u0301', '👍🏽', '🇫🇷']) {
      const fits = character.repeat(1_000);
      expect(refusal(() => checkBounds({ name: 'continue', prompt: fits }, limits))).toBeUndefined();
      expect(refusal(() => checkBounds({ name: 'continue', prompt: `${fits}${character}` }, limits))).toMatchObject({
        key: 'continue.promptTooLong',
        params: [{ maxChars: 1_000 }],
      });
    }
  });

  it('refuses as too long a prompt over 4 code units a character, however few it shows', () => {
    const stacked = `e${'\u0301'.repeat(4_000)}`; // one character, 4,001 code units
    expect(refusal(() => checkBounds({ name: 'continue', prompt: stacked }, limits))).toMatchObject({
      key: 'continue.promptTooLong',
    });
  });

  it('checks the prompt, the words and the least words of /continue', () => {
    expect(refusal(() => checkBounds({ name: 'continue', prompt: '  ' }, limits))).toMatchObject({
      key: 'continue.emptyPrompt',
    });
    expect(refusal(() => checkBounds({ name: 'continue', prompt: 'x'.repeat(1_001) }, limits))).toMatchObject({
      key: 'continue.promptTooLong',
      params: [{ maxChars: 1_000 }],
    });
    expect(refusal(() => checkBounds({ name: 'continue', prompt: 'hi', words: 201 }, limits))).toMatchObject({
      key: 'continue.badWords',
      params: [{ min: 1, max: 200 }],
    });
    expect(refusal(() => checkBounds({ name: 'continue', prompt: 'hi', minWords: 41 }, limits))).toMatchObject({
      key: 'continue.badMinWords',
      params: [{ min: 0, max: 40 }],
    });
    expect(refusal(() => checkBounds({ name: 'continue', prompt: 'hi', words: 200, minWords: 200 }, limits))).toBe(
      undefined,
    );
  });

  it.each<[ChatCommand, string, { min: number; max: number }]>([
    [{ name: 'settings', action: 'chatter', value: 0.5 }, 'settings.badChatter', { min: 0, max: 0.2 }],
    [{ name: 'settings', action: 'chatter', value: -0.01 }, 'settings.badChatter', { min: 0, max: 0.2 }],
    [{ name: 'settings', action: 'chatter', value: Number.NaN }, 'settings.badChatter', { min: 0, max: 0.2 }],
    [{ name: 'settings', action: 'min_words', value: 2.5 }, 'settings.badMinWords', { min: 0, max: 200 }],
    [{ name: 'settings', action: 'min_words', value: 201 }, 'settings.badMinWords', { min: 0, max: 200 }],
    [{ name: 'settings', action: 'min_words', value: Number.NaN }, 'settings.badMinWords', { min: 0, max: 200 }],
    [{ name: 'settings', action: 'temperature', value: 2.5 }, 'temperature.outOfRange', { min: 0, max: 2 }],
  ])('refuses /settings %o with %s naming the range', (command, key, range) => {
    expect(refusal(() => checkBounds(command, limits))).toMatchObject({ key, params: [range] });
  });

  it('accepts /settings values at their bounds, and no value at all (the default again)', () => {
    const accepted: ChatCommand[] = [
      { name: 'settings', action: 'chatter', value: 0.2 },
      { name: 'settings', action: 'chatter', value: 0 },
      { name: 'settings', action: 'min_words', value: 200 },
      { name: 'settings', action: 'min_words', value: 0 },
      { name: 'settings', action: 'temperature', value: 2 },
      { name: 'settings', action: 'min_words' },
    ];
    for (const command of accepted) expect(refusal(() => checkBounds(command, limits))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/commands/caller.js';
import type { ChatCommand } from '../../../src/commands/chat-command.js';
import type { CommandContext } from '../../../src/commands/command-context.js';
import { settingsCommand } from '../../../src/commands/settings-command.js';
import type { ChannelSettings, SettingsStore } from '../../../src/commands/settings-store.js';
import { renderReply } from '../../../src/replies/reply-catalogue.js';
import { UserError } from '../../../src/replies/user-error.js';
import { channelManager, member, testLimits as limits } from '../../helpers/command-fixtures.js';

/** One channel's settings in memory, as the Redis store keeps them (absent: the default). */
class FakeSettingsStore implements SettingsStore {
  stored: ChannelSettings = {};
  async get(): Promise<ChannelSettings> {
    return { ...this.stored };
  }
  async setTemperature(_channel: unknown, value: number): Promise<void> {
    await this.setNumber(_channel, 'temperature', value);
  }
  async resetTemperature(channel: unknown): Promise<void> {
    await this.setNumber(channel, 'temperature', undefined);
  }
  async setSwitch(_channel: unknown, setting: keyof ChannelSettings, enabled: boolean): Promise<void> {
    const { [setting]: _old, ...rest } = this.stored;
    this.stored = enabled ? { ...rest, [setting]: true } : rest;
  }
  async setNumber(_channel: unknown, setting: keyof ChannelSettings, value: number | undefined): Promise<void> {
    const { [setting]: _old, ...rest } = this.stored;
    this.stored = value === undefined ? rest : { ...rest, [setting]: value };
  }
}

const manager = channelManager;
const contextOf = (caller: Caller): CommandContext => ({
  channel: { platform: 'console', workspace: 'w', channel: 'c' },
  caller,
  replyTo: { platform: 'console', sessionId: 's', channelId: 'c' },
});

function run(store: FakeSettingsStore, command: Extract<ChatCommand, { name: 'settings' }>, caller = manager) {
  return settingsCommand({ settings: store, limits }, command, contextOf(caller));
}

const show = async (store: FakeSettingsStore) => (await run(store, { name: 'settings', action: 'show' }, member)).text;

describe('settingsCommand', () => {
  it('shows every setting with its value, each marked as the default until set', async () => {
    const store = new FakeSettingsStore();
    expect((await show(store)).split('\n')).toEqual([
      'Temperature: 0.8 (the default)',
      'Min words: 8 (the default)',
      'Mentions: off (the default)',
      'Continue this message: off (the default)',
      'Context: off (the default)',
      'Learning: off (the default)',
      'Chatter: off (the default)',
    ]);
  });

  it('posts the learning notice once: turning learning on again says it is already on', async () => {
    const store = new FakeSettingsStore();
    const on = { name: 'settings', action: 'learning', enabled: true } as const;
    expect((await run(store, on)).text).toBe(renderReply('settings.learningOn'));
    expect((await run(store, on)).text).toBe(renderReply('settings.learningAlreadyOn'));
    await run(store, { ...on, enabled: false });
    expect((await run(store, on)).text).toBe(renderReply('settings.learningOn'));
  });

  it('sets min_words, chatter and temperature publicly, shows them, and brings each default back', async () => {
    const store = new FakeSettingsStore();
    expect(await run(store, { name: 'settings', action: 'min_words', value: 12 })).toEqual({
      text: renderReply('settings.minWordsSet', { value: 12 }),
      visibility: 'public',
    });
    const chatter = await run(store, { name: 'settings', action: 'chatter', value: 0.05 });
    expect(chatter.text).toBe(renderReply('settings.chatterSetConsole', { value: 0.05 }));
    await run(store, { name: 'settings', action: 'temperature', value: 1.2 });
    expect(store.stored).toEqual({ minWords: 12, chatter: 0.05, temperature: 1.2 });
    const shown = await show(store);
    expect(shown).toContain('Temperature: 1.2\n');
    expect(shown).toContain('Min words: 12\n');
    expect(shown).toContain('Chatter: 5% of messages');

    const reset = await run(store, { name: 'settings', action: 'min_words' });
    expect(reset.text).toBe(renderReply('settings.minWordsReset', { value: 8 }));
    expect((await run(store, { name: 'settings', action: 'chatter' })).text).toBe(renderReply('settings.chatterReset'));
    expect((await run(store, { name: 'settings', action: 'temperature' })).text).toBe(
      renderReply('temperature.reset', { value: 0.8 }),
    );
    expect(store.stored).toEqual({});
    expect(await show(store)).toContain('Min words: 8 (the default)');
  });

  it('says chatter answers unprompted on Discord and Slack, and in the console that it never chatters there', async () => {
    const store = new FakeSettingsStore();
    const chatter = { name: 'settings', action: 'chatter', value: 0.1 } as const;
    const slack: CommandContext = {
      channel: { platform: 'slack', workspace: 'T1', channel: 'C1' },
      caller: manager,
      replyTo: { platform: 'slack', channelId: 'C1', userId: 'U1', expiresAt: 0 },
    };
    expect((await settingsCommand({ settings: store, limits }, chatter, slack)).text).toBe(
      "Chatter set to 10%: I answer about 10% of this channel's messages without being asked.",
    );
    const console = (await run(store, chatter)).text;
    expect(console).toMatch(/^Chatter set to 10% for this channel, but the console never chatters/);
    expect(console).not.toContain('I answer about');
    expect(store.stored).toEqual({ chatter: 0.1 });
  });

  it('shows a chatter of 0 as off, without calling it the default', async () => {
    const store = new FakeSettingsStore();
    expect((await run(store, { name: 'settings', action: 'chatter', value: 0 })).text).toBe(
      renderReply('settings.chatterSet', { value: 0 }),
    );
    expect(await show(store)).toMatch(/\nChatter: off$/);
  });

  it('refuses a member before anything is stored, and a value out of range with the range', async () => {
    const store = new FakeSettingsStore();
    const refused = (command: Extract<ChatCommand, { name: 'settings' }>, caller = manager) =>
      run(store, command, caller).catch((error: unknown) => {
        expect(error).toBeInstanceOf(UserError);
        return (error as UserError).render();
      });
    expect(await refused({ name: 'settings', action: 'min_words', value: 12 }, member)).toBe(
      renderReply('settings.forbidden'),
    );
    expect(await refused({ name: 'settings', action: 'chatter', value: 0.5 })).toBe(
      renderReply('settings.badChatter', { min: 0, max: 0.2 }),
    );
    expect(await refused({ name: 'settings', action: 'min_words', value: 2.5 })).toBe(
      renderReply('settings.badMinWords', { min: 0, max: 200 }),
    );
    expect(store.stored).toEqual({});
  });
});

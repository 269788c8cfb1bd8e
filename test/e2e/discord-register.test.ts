import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { discordRegister } from '../../src/main/discord-register.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

interface RegisteredCommand {
  name: string;
  type?: number;
  default_member_permissions?: string | null;
  contexts?: number[];
  options?: {
    name: string;
    type: number;
    min_value?: number;
    max_value?: number;
    max_length?: number;
    options?: unknown[];
  }[];
}

describe('lstm-bot discord register', () => {
  let fake: FakeDiscord;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      MAX_PROMPT_CHARS: '800',
      MAX_WORDS: '120',
    };
  });

  afterEach(async () => {
    await fake.close();
  });

  test('overwrites the guild commands with the declared limits and permissions', async () => {
    const line = await discordRegister({ guild: fake.guildId }, env);
    expect(line).toBe(
      `Registered 7 commands in server ${fake.guildId}: /continue, /temperature, /status, /retrain, /settings, /forget, ` +
        '"Continue this message" (message menu)',
    );

    const [put] = fake.requestsMatching(
      'PUT',
      new RegExp(`^/applications/${fake.applicationId}/guilds/${fake.guildId}/commands$`),
    );
    expect(put?.authorization).toBe(`Bot ${fake.token}`);
    const commands = put?.body as RegisteredCommand[];
    const byName = new Map(commands.map((c) => [c.name, c]));
    const continueOptions = byName.get('continue')?.options ?? [];
    expect(continueOptions).toEqual([
      expect.objectContaining({ name: 'prompt', type: 3, required: true, max_length: 800 }),
      expect.objectContaining({ name: 'temperature', type: 10, min_value: 0, max_value: 2 }),
      expect.objectContaining({ name: 'words', type: 4, min_value: 1, max_value: 120 }),
      expect.objectContaining({ name: 'min_words', type: 4, min_value: 0, max_value: 120, required: false }),
    ]);
    const start = byName.get('retrain')?.options?.find((o) => o.name === 'start')?.options;
    expect(start).toEqual([expect.objectContaining({ name: 'messages', type: 4, min_value: 10, max_value: 50_000 })]);
    expect(byName.get('retrain')?.default_member_permissions).toBe(String(1n << 5n));
    expect(byName.get('temperature')?.default_member_permissions ?? null).toBeNull();
    expect(byName.get('settings')?.default_member_permissions ?? null).toBeNull();
    const mentions = byName.get('settings')?.options?.find((o) => o.name === 'mentions')?.options;
    expect(mentions).toEqual([
      expect.objectContaining({
        name: 'state',
        type: 3,
        required: true,
        choices: [
          { name: 'on', value: 'on' },
          { name: 'off', value: 'off' },
        ],
      }),
    ]);
    const subcommands = byName.get('settings')?.options?.map((o) => o.name);
    expect(subcommands).toEqual([
      'show',
      'temperature',
      'min_words',
      'chatter',
      'mentions',
      'continue_message',
      'context',
      'learning',
    ]);
    const valueOf = (sub: string) => byName.get('settings')?.options?.find((o) => o.name === sub)?.options;
    expect(valueOf('temperature')).toEqual([
      expect.objectContaining({ name: 'value', type: 10, min_value: 0, max_value: 2, required: false }),
    ]);
    expect(valueOf('min_words')).toEqual([
      expect.objectContaining({ name: 'words', type: 4, min_value: 0, max_value: 120, required: false }),
    ]);
    expect(valueOf('chatter')).toEqual([
      expect.objectContaining({ name: 'chance', type: 10, min_value: 0, max_value: 0.2, required: false }),
    ]);
    expect(byName.get('Continue this message')).toMatchObject({ type: 3 });
    expect(byName.get('Continue this message')?.options).toBeUndefined();
    expect(byName.get('Continue this message')?.default_member_permissions ?? null).toBeNull();
    for (const command of commands) expect(command.contexts).toEqual([0]);
  });

  test('registers globally without --guild', async () => {
    const line = await discordRegister({}, env);
    expect(line).toMatch(/^Registered 7 commands globally/);
    expect(fake.requestsMatching('PUT', new RegExp(`^/applications/${fake.applicationId}/commands$`))).toHaveLength(1);
  });

  test('says what is missing when the application id is not set', async () => {
    await expect(discordRegister({}, { ...env, DISCORD_APPLICATION_ID: '' })).rejects.toThrow(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID first',
    );
  });

  test('refuses a guild id that is not a snowflake', async () => {
    await expect(discordRegister({ guild: 'my-server' }, env)).rejects.toThrow('--guild must be a server id');
    expect(fake.requests).toHaveLength(0);
  });
});

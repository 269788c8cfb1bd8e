import { afterEach, describe, expect, test, vi } from 'vitest';
import type { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import { Secret } from '../../src/config/secret.js';
import { capturingLogger, discordTestConfig, startDiscordAdapter } from './fake-discord/discord-test-config.js';
import { FakeCommandSink } from './fake-discord/fake-command-sink.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';

describe('logging in to Discord', () => {
  let fake: FakeDiscord | undefined;
  let adapter: DiscordChatAdapter | undefined;

  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    adapter = undefined;
    fake = undefined;
  });

  test('fetches the gateway, identifies with the Guilds and Guild Messages intents, and is ready after GUILD_CREATE', async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 50 });
    const { logger } = capturingLogger();
    adapter = await startDiscordAdapter(fake, new FakeCommandSink(() => undefined), logger);

    const gateway = fake.requestsMatching('GET', /^\/gateway\/bot$/);
    expect(gateway).toHaveLength(1);
    expect(gateway[0]?.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.identifies).toHaveLength(1);
    // Guilds (1 << 0) and Guild Messages (1 << 9, for mentions); never the privileged Message Content.
    expect(fake.identifies[0]).toMatchObject({ token: fake.token, intents: 1 | (1 << 9), shard: [0, 1] });
  });

  test('keeps the connection alive with heartbeats that the gateway acknowledges', async () => {
    const gateway = await FakeDiscord.start({ heartbeatIntervalMs: 20 });
    fake = gateway;
    adapter = await startDiscordAdapter(gateway, new FakeCommandSink(() => undefined));
    // A missed acknowledgement makes discord.js drop the connection as a zombie and identify again.
    await vi.waitFor(() => expect(gateway.heartbeats, 'heartbeats acknowledged').toBeGreaterThanOrEqual(5), {
      timeout: 5_000,
      interval: 20,
    });
    expect(fake.identifies).toHaveLength(1);
  });

  test('resumes its session when Discord asks it to reconnect, and keeps receiving commands', async () => {
    fake = await FakeDiscord.start();
    const sink = new FakeCommandSink(() => undefined);
    adapter = await startDiscordAdapter(fake, sink);
    await fake.requestReconnect();
    expect(fake.resumes[0]).toMatchObject({ token: fake.token, seq: 2 });
    expect(fake.identifies).toHaveLength(1);
    fake.sendInteraction({ name: 'status' });
    expect((await sink.nextCommand()).command).toEqual({ name: 'status' });
  });

  test('never writes the token in its logs, even at trace level', async () => {
    fake = await FakeDiscord.start();
    const { logger, lines } = capturingLogger();
    adapter = await startDiscordAdapter(fake, new FakeCommandSink(() => undefined), logger);
    await adapter.stop();
    adapter = undefined;

    expect(lines.length).toBeGreaterThan(5);
    const tokenParts = fake.token.split('.');
    for (const line of lines) {
      expect(line).not.toContain(fake.token);
      expect(line).not.toContain(tokenParts.slice(0, 2).join('.'));
    }
  });

  test('rejects a wrong token with a clear error instead of hanging', async () => {
    fake = await FakeDiscord.start();
    const config = { ...discordTestConfig(fake), DISCORD_TOKEN: new Secret('wrong.token.value') };
    await expect(
      startDiscordAdapter(fake, new FakeCommandSink(() => undefined), capturingLogger().logger, config),
    ).rejects.toMatchObject({
      code: 'DISCORD_REQUEST_FAILED',
      message: 'Could not log in to Discord: An invalid token was provided.',
    });
  });
});

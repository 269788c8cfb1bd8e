import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command-context.js';
import { storedContextReader } from '../../src/history/recent-context.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { discordContext } from '../helpers/fake-chat-adapter.js';
import { startRecordingPipeline, usePipelineScope } from '../helpers/pipeline-harness.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';

describe('/settings context on the pipeline', () => {
  const scope = usePipelineScope();

  async function pipeline() {
    const { adapter, generator } = await startRecordingPipeline(scope, {
      recentContext: storedContextReader(scope.prefix),
    });
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    scope.closers.push(async () => redis.disconnect());
    const history = new RedisHistoryStore(redis, scope.prefix, 1_000);
    const ask = async (context: CommandContext, posts: number) => {
      await adapter.commands!.handleCommand({ name: 'continue', prompt: 'so what', words: 2 }, context);
      await adapter.waitForPosts(posts);
      return generator.requests.at(-1)!;
    };
    const setContext = (context: CommandContext, enabled: boolean) =>
      adapter.commands!.handleCommand({ name: 'settings', action: 'context', enabled }, context);
    return { adapter, history, ask, setContext };
  }

  it('reads the newest 8 stored messages before the prompt only where a channel manager turned it on', async () => {
    const { adapter, history, ask, setContext } = await pipeline();
    const manager = discordContext('chan-a', { canManageChannel: true });
    const texts = Array.from({ length: 12 }, (_, i) => `message ${i}`);
    await history.append(
      manager.channel,
      texts.map((text) => ({ text, author: 'u9' })),
    );

    expect((await ask(manager, 1)).context).toBeUndefined();
    const refused = await setContext(discordContext('chan-a'), true);
    expect(refused.text).toMatch(/Only people who can manage/);
    const on = await setContext(manager, true);
    expect(on).toMatchObject({ visibility: 'public', text: expect.stringMatching(/^Context on/) });
    expect((await ask(manager, 2)).context).toEqual(texts.slice(4));
    // Another channel keeps its default: the prompt alone.
    expect((await ask(discordContext('chan-b'), 3)).context).toBeUndefined();
    expect((await setContext(manager, false)).text).toMatch(/^Context off/);
    expect((await ask(manager, 4)).context).toBeUndefined();
    expect(adapter.posted).toHaveLength(4);
  });

  it('keeps to 2,000 characters, the newest first, and leaves out what /forget me removed', async () => {
    const { history, ask, setContext } = await pipeline();
    const manager = discordContext('chan-c', { canManageChannel: true });
    const long = 'x'.repeat(1_960); // with the two newer ones 1,993 characters: no room for 14 more
    await history.append(manager.channel, [
      { text: 'too old to fit', author: 'u1' },
      { text: long, author: 'u1' },
      { text: 'from the one who leaves', author: 'u2' },
      { text: 'the newest', author: 'u1' },
    ]);
    await setContext(manager, true);
    expect((await ask(manager, 1)).context).toEqual([long, 'from the one who leaves', 'the newest']);
    await history.forgetUser('discord', 'guild-1', 'u2');
    expect((await ask(manager, 2)).context).toEqual(['too old to fit', long, 'the newest']);
  });
});

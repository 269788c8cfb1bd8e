import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import { RedisRecentReplies } from '../../src/history/recent-replies.js';
import { discordContext } from '../helpers/fake-chat-adapter.js';
import { startRecordingPipeline, usePipelineScope } from '../helpers/pipeline-harness.js';
import { deleteKeys, testPrefix, TEST_REDIS_URL } from '../helpers/redis-test-env.js';

const channelA: ChannelRef = { platform: 'discord', workspace: 'guild-1', channel: 'chan-a' };
const channelB: ChannelRef = { platform: 'discord', workspace: 'guild-1', channel: 'chan-b' };

describe('RedisRecentReplies', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = testPrefix();
  });
  afterEach(async () => {
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it("keeps each channel's newest replies as tokens, oldest first, and forgets a channel's alone", async () => {
    const memory = new RedisRecentReplies(redis, prefix, 2);
    await memory.remember(channelA, ['one', 'reply']);
    await memory.remember(channelA, ['it', "'s", '<url>']);
    await memory.remember(channelB, ['other']);
    await memory.remember(channelA, ['third', 'one']);
    await memory.remember(channelA, []);
    expect(await memory.recent(channelA)).toEqual([
      ['it', "'s", '<url>'],
      ['third', 'one'],
    ]);
    expect(await redis.ttl(memory.key(channelA))).toBeGreaterThan(29 * 86_400);
    // Another worker with a smaller memory reads only the newest of them.
    expect(await new RedisRecentReplies(redis, prefix, 1).recent(channelA)).toEqual([['third', 'one']]);
    await memory.forgetChannel(channelA);
    expect(await memory.recent(channelA)).toEqual([]);
    expect(await memory.recent(channelB)).toEqual([['other']]);
  });

  it('keeps nothing when its size is 0', async () => {
    const memory = new RedisRecentReplies(redis, prefix, 0);
    await memory.remember(channelA, ['one']);
    expect(await memory.recent(channelA)).toEqual([]);
    expect(await redis.exists(memory.key(channelA))).toBe(0);
  });
});

describe('the recent replies on the pipeline', () => {
  const scope = usePipelineScope();

  it("gives each request its channel's earlier replies, and /forget channel deletes them", async () => {
    const { adapter, generator } = await startRecordingPipeline(scope, {
      recentReplies: (redis) => new RedisRecentReplies(redis, scope.prefix, 10),
    });
    let posts = 0;
    const ask = async (context: CommandContext, words: number) => {
      await adapter.commands!.handleCommand({ name: 'continue', prompt: 'so what', words }, context);
      await adapter.waitForPosts(++posts);
      return generator.requests.at(-1)!;
    };
    const admin = discordContext('chan-a', { canManageChannel: true, canManageWorkspace: true });

    expect((await ask(admin, 2)).recentReplies).toBeUndefined();
    expect((await ask(admin, 3)).recentReplies).toEqual([['basew0', 'basew1']]);
    expect((await ask(admin, 1)).recentReplies).toEqual([
      ['basew0', 'basew1'],
      ['basew0', 'basew1', 'basew2'],
    ]);
    // Another channel has its own memory.
    expect((await ask(discordContext('chan-b'), 1)).recentReplies).toBeUndefined();

    await adapter.commands!.handleCommand({ name: 'forget', scope: 'channel' }, admin);
    expect((await ask(admin, 1)).recentReplies).toBeUndefined();
    expect((await ask(discordContext('chan-b'), 1)).recentReplies).toEqual([['basew0']]);
  });
});

import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { expect, vi } from 'vitest';
import { GENERATE_QUEUE } from '../../../src/queue/queue-names.js';
import { TEST_REDIS_URL } from '../../helpers/redis-test-env.js';
import type { PipelineScope } from '../../helpers/pipeline-harness.js';
import { MANAGE_CHANNELS, MEMBER_PERMISSIONS, type FakeDiscord } from './fake-discord.js';

/**
 * What the live-learning and chatter tests read back: a channel's stored history in Redis, the jobs
 * ever added to the `generate` queue, and `/settings <switch> on|off` sent through the fake gateway.
 */
export function liveProbe(scope: PipelineScope) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = () => new Queue(GENERATE_QUEUE, { connection: redis, prefix: scope.prefix });
  scope.closers.push(async () => redis.disconnect());
  const stored = async (platform: string, workspace: string, channel: string) =>
    (await redis.lrange(`${scope.prefix}:history:${platform}/${workspace}/${channel}`, 0, -1)).map(
      (row) => JSON.parse(row) as { text: string; author?: string },
    );
  /** Waits until the channel's stored history holds `text` (so every earlier message was handled too). */
  const waitForStored = (platform: string, workspace: string, channel: string, text: string) =>
    vi.waitFor(async () => expect((await stored(platform, workspace, channel)).map((m) => m.text)).toContain(text), {
      timeout: 10_000,
      interval: 50,
    });
  /** Jobs ever added to the `generate` queue (completed ones are kept an hour). */
  const generateJobs = async () => {
    const q = queue();
    try {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    } finally {
      await q.close();
    }
  };
  return { redis, stored, waitForStored, generateJobs };
}

/** `/settings <setting> on|off` by a member with (or without) Manage Channels; resolves with the reply text. */
export async function discordSetting(
  fake: FakeDiscord,
  setting: string,
  state: 'on' | 'off',
  { channelId = fake.channelId, manager = true } = {},
): Promise<string> {
  const { token } = fake.sendInteraction({
    name: 'settings',
    channelId,
    options: [{ name: setting, type: 1, options: [{ name: 'state', type: 3, value: state }] }],
    permissions: manager ? MEMBER_PERMISSIONS | MANAGE_CHANNELS : MEMBER_PERMISSIONS,
  });
  const reply = await fake.waitForRequest((r) => {
    if (!r.path.includes(`/${token}`)) return false;
    const body = r.body as { content?: string; data?: { content?: string } } | undefined;
    return typeof (body?.content ?? body?.data?.content) === 'string';
  });
  const body = reply.body as { content?: string; data?: { content?: string } };
  return body.content ?? body.data?.content ?? '';
}

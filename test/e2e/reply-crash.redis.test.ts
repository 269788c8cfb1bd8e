import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplyAddress } from '../../src/commands/reply-address.js';
import { replyQueueName } from '../../src/queue/queue-names.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { FakeDiscord } from './fake-discord/fake-discord.js';
import { FakeSlack } from './fake-slack/fake-slack.js';

/**
 * A bot process killed with SIGKILL right after the platform accepted its post, before BullMQ heard
 * the reply job was done: the next bot process takes the job over (the stalled-job check) and must
 * not post the reply a second time. Runs the compiled CLI (`npm run build` first).
 */
describe('a bot killed mid-post', () => {
  let prefix: string;
  let dataDir: string;
  let redis: Redis;
  let outbox: ReplyOutbox;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    prefix = testPrefix();
    dataDir = await mkdtemp(join(tmpdir(), 'lstm-bot-crash-'));
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    outbox = new ReplyOutbox(redis, prefix);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await outbox.close();
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
    await removeDir(dataDir);
  });

  /** `lstm-bot bot` with `platformEnv`; resolves once it said it is ready. */
  async function startBot(platformEnv: NodeJS.ProcessEnv): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['bin/lstm-bot.js', 'bot'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        MODELS_DIR: dataDir,
        DATA_DIR: dataDir,
        HEALTH_PORT: '0',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        // A killed bot's reply is taken over within a couple of seconds.
        WORKER_LOCK_MS: '1000',
        WORKER_STALLED_INTERVAL_MS: '500',
        ...platformEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk));
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the bot exited: ${output}`);
        expect(output).toMatch(/bot ready/);
      },
      { timeout: 20_000, interval: 50 },
    );
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async function queueReply(id: string, address: ReplyAddress, text: string): Promise<void> {
    const data = { v: 1, generateJobId: id, address, outcome: 'answer', requestedAt: Date.now() } as const;
    await outbox.post({ ...data, reply: { text, visibility: 'public' } });
  }

  async function waitUntilDone(address: ReplyAddress, id: string): Promise<void> {
    const queue = new Queue(replyQueueName(address), { connection: redis, prefix });
    try {
      await vi.waitFor(async () => expect(await queue.getJobState(`reply-${id}`)).toBe('completed'), {
        timeout: 30_000,
        interval: 100,
      });
    } finally {
      await queue.close();
    }
  }

  describe('on Slack', () => {
    let fake: FakeSlack;
    let slackEnv: NodeJS.ProcessEnv;

    beforeEach(async () => {
      fake = new FakeSlack();
      await fake.start();
      slackEnv = {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: String(await freePort()),
      };
    });

    afterEach(async () => {
      await fake.stop();
    });

    it.each([
      ['through the response_url', 'response_url', 30 * 60_000],
      ['with chat.postMessage once the response_url expired', 'chat.postMessage', -1],
    ])('a public answer posted %s is not posted again by the next bot', async (_, target, lifetimeMs) => {
      const id = `crash-${target.replace(/\W/g, '')}`;
      const address: ReplyAddress = {
        platform: 'slack',
        responseUrl: fake.responseUrl(id, 'CCRASH'),
        channelId: 'CCRASH',
        userId: 'UASKER',
        expiresAt: Date.now() + lifetimeMs,
      };
      const first = await startBot(slackEnv);
      const held = fake.holdNextResponse(target);
      await queueReply(id, address, 'the one answer');
      await held.received;
      await kill(first);
      held.release();
      expect(fake.postedIn('CCRASH').map((m) => m.text)).toEqual(['the one answer']);

      await startBot({ ...slackEnv, SLACK_PORT: String(await freePort()) });
      await waitUntilDone(address, id);
      expect(fake.postedIn('CCRASH').map((m) => m.text)).toEqual(['the one answer']);
      // The next bot looked before it would have posted, with the metadata Slack returns only on request.
      const looked = fake.callsOf('conversations.history').filter((c) => c.args.channel === 'CCRASH');
      expect(looked.length).toBeGreaterThan(0);
      expect(looked[0]?.args.include_all_metadata).toBe('true');
    });

    it('a reply whose post never reached Slack is posted by the next bot', async () => {
      const id = 'crash-unsent';
      const address: ReplyAddress = {
        platform: 'slack',
        responseUrl: fake.responseUrl(id, 'CUNSENT'),
        channelId: 'CUNSENT',
        userId: 'UASKER',
        expiresAt: Date.now() - 1,
      };
      // The bot dies while the post is on its way: Slack answers ratelimited, so nothing is stored.
      fake.fault('chat.postMessage', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false } });
      const first = await startBot(slackEnv);
      await queueReply(id, address, 'late but there');
      await fake.waitFor(() => fake.callsOf('chat.postMessage').find((c) => c.args.channel === 'CUNSENT'));
      await kill(first);
      const queue = new Queue(replyQueueName(address), { connection: redis, prefix });
      await queue.promoteJobs().catch(() => undefined);
      await queue.getJob(`reply-${id}`).then((job) => job?.promote().catch(() => undefined));
      await queue.close();

      await startBot({ ...slackEnv, SLACK_PORT: String(await freePort()) });
      await waitUntilDone(address, id);
      expect(fake.postedIn('CUNSENT').map((m) => m.text)).toEqual(['late but there']);
    });
  });

  describe('on Discord', () => {
    let fake: FakeDiscord;
    let discordEnv: NodeJS.ProcessEnv;

    beforeEach(async () => {
      fake = await FakeDiscord.start();
      discordEnv = {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      };
    });

    afterEach(async () => {
      await fake.close();
    });

    it('a channel message (the interaction expired) is not posted again by the next bot', async () => {
      const id = 'crash-discord';
      const address: ReplyAddress = fake.expiredAddress();
      const first = await startBot(discordEnv);
      const held = fake.holdNextResponse('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));
      await queueReply(id, address, 'the one answer');
      await held.received;
      await kill(first);
      held.release();

      await startBot(discordEnv);
      await waitUntilDone(address, id);
      const posts = fake.requestsMatching('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));
      expect(posts.length).toBeGreaterThanOrEqual(2);
      expect(fake.channels.get(fake.channelId)?.messages.map((m) => m.content)).toEqual(['the one answer']);
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start-slack.js';
import { CommandHandlers } from '../../src/commands/command-handlers.js';
import { commandLimitsFrom } from '../../src/commands/command-limits.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/ops/logger.js';
import type { GenerateJobData } from '../../src/queue/generate-job.js';
import { GenerateProducer } from '../../src/queue/generate-producer.js';
import { createFailFastRedis, waitForRedis } from '../../src/queue/redis-connections.js';
import { RedisRateLimiter } from '../../src/queue/redis-rate-limiter.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { RedisSettingsStore } from '../../src/settings/redis-settings-store.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

const SIGNING_SECRET = 'pipeline-test-signing-secret';
const PREFIX = `test-${randomUUID()}`;
const fake = new FakeSlack();
const logger = createLogger({ level: 'silent' });
let redis: Redis;
let producer: GenerateProducer;
let settings: RedisSettingsStore;
let slack: RunningSlack;
let responses = 0;

async function slash(command: string, text: string, user: string, channel = 'CPIPE') {
  responses += 1;
  const responseId = `p${responses}`;
  const result = await postSlashCommand(
    `http://127.0.0.1:${slack.port}/slack/events`,
    {
      command,
      text,
      user_id: user,
      channel_id: channel,
      team_id: fake.teamId,
      response_url: fake.responseUrl(responseId),
    },
    { signingSecret: SIGNING_SECRET },
  );
  return { ...result, answer: () => fake.waitFor(() => fake.responsePosts.find((p) => p.id === responseId)?.body) };
}

beforeAll(async () => {
  await fake.start();
  fake.users.set('UMEMBER', { is_admin: false });
  fake.users.set('UADMIN', { is_admin: true });
  const config = configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    QUEUE_PREFIX: PREFIX,
  });
  redis = createFailFastRedis('redis://127.0.0.1:6379');
  await waitForRedis(redis);
  producer = new GenerateProducer(redis, PREFIX);
  settings = new RedisSettingsStore(redis, PREFIX);
  const handlers = new CommandHandlers({
    settings,
    queue: producer,
    rateLimiter: new RedisRateLimiter(redis, PREFIX, { userPerMinute: 100, channelPerMinute: 100 }),
    status: {
      channelStatus: async () => ({
        modelVersion: 'base',
        backend: 'tensorflow',
        queueDepth: await producer.depth(),
        workersAlive: 0,
      }),
    },
    limits: commandLimitsFrom(config),
    logger,
  });
  slack = await startSlack({
    config,
    logger,
    sink: handlers,
    listen: { port: 0, host: '127.0.0.1' },
    retryConfig: { retries: 0 },
  });
});

afterAll(async () => {
  await slack?.stop();
  await producer?.queue.obliterate({ force: true });
  await producer?.close();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis?.disconnect();
  await fake.stop();
});

describe('Slack commands through the real command handlers and Redis', () => {
  it('puts a signed /continue on the generate queue with its Slack reply address, and tells the caller privately', async () => {
    const { status, answer } = await slash('/continue', 'the weather today -w 12', 'UMEMBER');
    expect(status).toBe(200);
    expect(await answer()).toMatchObject({ response_type: 'ephemeral', text: renderReply('continue.queued') });
    const [job] = await producer.queue.getJobs(['wait']);
    const data = job?.data as GenerateJobData;
    expect(data).toMatchObject({
      channel: { platform: 'slack', workspace: fake.teamId, channel: 'CPIPE' },
      userId: 'UMEMBER',
      prompt: 'the weather today',
      options: { temperature: 0.8, maxWords: 12 },
      replyTo: { platform: 'slack', channelId: 'CPIPE', userId: 'UMEMBER', responseUrl: fake.responseUrl('p1') },
    });
  });

  it('refuses a temperature change by a non-admin (users.info says not admin), privately, and stores nothing', async () => {
    const { answer } = await slash('/temperature', '1.5', 'UMEMBER');
    expect(await answer()).toMatchObject({ response_type: 'ephemeral', text: renderReply('temperature.forbidden') });
    expect(await settings.get({ platform: 'slack', workspace: fake.teamId, channel: 'CPIPE' })).toEqual({});
  });

  it('lets a workspace admin set it, announced in the channel, and the next /continue uses it', async () => {
    const { answer } = await slash('/temperature', '1.5', 'UADMIN');
    expect(await answer()).toMatchObject({
      response_type: 'in_channel',
      text: renderReply('temperature.set', { value: 1.5 }),
    });
    expect(await settings.get({ platform: 'slack', workspace: fake.teamId, channel: 'CPIPE' })).toEqual({
      temperature: 1.5,
    });
    await (await slash('/continue', 'warmer now', 'UMEMBER')).answer();
    const jobs = await producer.queue.getJobs(['wait']);
    const warmer = jobs.map((j) => j.data as GenerateJobData).find((d) => d.prompt === 'warmer now');
    expect(warmer?.options.temperature).toBe(1.5);
  });

  it('answers an out-of-range temperature from the catalogue, privately, and enqueues nothing', async () => {
    const before = (await producer.queue.getJobs(['wait'])).length;
    const { answer } = await slash('/continue', 'too hot -t 5', 'UMEMBER');
    expect(await answer()).toMatchObject({ response_type: 'ephemeral', text: renderReply('temperature.outOfRange') });
    expect((await producer.queue.getJobs(['wait'])).length).toBe(before);
  });
});

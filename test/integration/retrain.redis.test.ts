import { cp, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../src/commands/caller.js';
import { CodedError } from '../../src/errors/coded-error.js';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import { forgetCommand } from '../../src/commands/forget-command.js';
import { retrainCommand } from '../../src/commands/retrain-command.js';
import { RedisHistoryStore } from '../../src/history/redis-history-store.js';
import { RedisRecentReplies } from '../../src/history/recent-replies.js';
import { loadGenerator } from '../../src/main/load-generator.js';
import type { ReplyJobData } from '../../src/queue/reply-job.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { trainJobId } from '../../src/queue/train-job.js';
import { ChannelModelVersions } from '../../src/model/store/channel-model-versions.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { RedisTrainingControl } from '../../src/training/redis-training-control.js';
import { TrainingCheckpoint, type CheckpointState } from '../../src/training/training-checkpoint.js';
import { TrainingWorker, type TrainingWorkerOptions } from '../../src/training/training-worker.js';
import type { HistorySource } from '../../src/history/history-source.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { testTrainerOptions } from '../helpers/retrain-harness.js';
import { spawnTs, waitForExit, waitForLine } from '../helpers/spawn-process.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const admin: Caller = { userId: 'admin', canManageChannel: true, canManageWorkspace: true };
const member: Caller = { userId: 'u1', canManageChannel: false, canManageWorkspace: false };
const channelA: ChannelRef = { platform: 'console', workspace: 'local', channel: 'a' };
const channelB: ChannelRef = { platform: 'console', workspace: 'local', channel: 'b' };
const limits = { defaultMessages: 1_000, maxMessages: 5_000 };

describe('/retrain and /forget through the train queue and a trainer', () => {
  let prefix: string;
  let modelsDir: string;
  let redis: Redis;
  let workerRedis: Redis;
  let history: RedisHistoryStore;
  let control: RedisTrainingControl;
  let recentReplies: RedisRecentReplies;
  let outbox: ReplyOutbox;
  let trainer: TrainingWorker | undefined;
  let replies: Queue;

  beforeEach(async () => {
    prefix = testPrefix();
    modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-retrain-'));
    await cp('test/fixtures/models/tiny', join(modelsDir, 'base'), { recursive: true });
    redis = new Redis(TEST_REDIS_URL);
    workerRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    history = new RedisHistoryStore(redis, prefix, 5_000);
    outbox = new ReplyOutbox(redis, prefix);
    recentReplies = new RedisRecentReplies(redis, prefix, 10);
    control = new RedisTrainingControl({ redis, prefix, history, recentReplies, modelsDir, keepVersions: 3, outbox });
    replies = new Queue('replies-console-test', { connection: redis, prefix });
  });
  afterEach(async () => {
    await trainer?.close();
    trainer = undefined;
    await Promise.all([control.close(), outbox.close(), replies.close()]);
    await deleteKeys(TEST_REDIS_URL, prefix);
    redis.disconnect();
    workerRedis.disconnect();
    await rm(modelsDir, { recursive: true, force: true });
  });

  const startTrainer = async (epochs = 2, extra: Partial<TrainingWorkerOptions> = {}) => {
    trainer = await TrainingWorker.start({
      ...testTrainerOptions({ connection: workerRedis, redisUrl: TEST_REDIS_URL, prefix, outbox, modelsDir }),
      fineTune: { epochs, batchSize: 8, seqLength: 8 },
      ...extra,
    });
  };
  const context = (caller: Caller, channel = channelA): CommandContext => ({
    channel,
    caller,
    replyTo: { platform: 'console', sessionId: 'test', channelId: channel.channel },
  });
  const retrain: ReturnType<typeof retrainCommand> = (command, ctx) => retrainCommand(control, limits)(command, ctx);
  const forget: ReturnType<typeof forgetCommand> = (command, ctx) => forgetCommand(control)(command, ctx);
  const replyTexts = async (): Promise<string[]> =>
    (await replies.getJobs(['waiting', 'active', 'completed'])).map(
      (job) => (job.data as { reply: { text: string } }).reply.text,
    );
  /** Whether the reply whose text matches `pattern` was posted as an answer or an apology (what a piped console counts). */
  const outcomeOf = async (pattern: RegExp): Promise<string | undefined> =>
    (await replies.getJobs(['waiting', 'active', 'completed']))
      .map((job) => job.data as ReplyJobData)
      .find((data) => pattern.test(data.reply.text))?.outcome;
  /** Waits (bounded, under the test's 60 s) until `check` stops throwing; its last error says what was missing. */
  const waitUntil = <T>(check: () => Promise<T>, timeout = 50_000): Promise<T> =>
    vi.waitFor(check, { timeout, interval: 100 });
  const waitForReply = (pattern: RegExp): Promise<string> =>
    waitUntil(async () => {
      const found = (await replyTexts()).find((text) => pattern.test(text));
      if (!found) throw new Error(`no reply matching ${pattern} yet`);
      return found;
    });
  const waitForReplies = (prefix: string, count: number): Promise<void> =>
    waitUntil(async () => {
      const found = (await replyTexts()).filter((text) => text.startsWith(prefix)).length;
      if (found < count) throw new Error(`${found} of ${count} replies starting "${prefix}" so far`);
    });
  /** The job is removed once done, so the channel can be retrained again. */
  const waitForTrainJobRemoved = (): Promise<void> =>
    waitUntil(async () => {
      if (await control.queue.getJob(trainJobId(channelA))) throw new Error('the train job is still in the queue');
    }, 30_000);
  const waitForCheckpoint = (checkpoint: TrainingCheckpoint): Promise<void> =>
    waitUntil(async () => {
      if (!(await checkpoint.exists())) throw new Error('no checkpoint written yet');
    });

  /** A channel's /retrain in a trainer process, killed with SIGKILL once it wrote its first checkpoint. */
  const retrainAndKillTrainerAtCheckpoint = async (): Promise<{
    requestId: string;
    checkpoint: TrainingCheckpoint;
  }> => {
    await history.append(channelA, channelMessages('zorblax', 200));
    const doomed = spawnTs('test/fixtures/trainer-process.ts', [TEST_REDIS_URL, prefix, modelsDir, '1000']);
    await waitForLine(doomed, /READY/);
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    const requestId = ((await control.queue.getJob(trainJobId(channelA)))!.data as { requestId: string }).requestId;
    const checkpoint = new TrainingCheckpoint(modelsDir, channelA, requestId);
    await waitForCheckpoint(checkpoint);
    doomed.kill('SIGKILL');
    await waitForExit(doomed);
    return { requestId, checkpoint };
  };

  it('refuses people who cannot manage the workspace', async () => {
    await history.append(channelA, channelMessages('zorblax', 50));
    for (const command of [
      { name: 'retrain', action: 'start' },
      { name: 'retrain', action: 'cancel' },
      { name: 'retrain', action: 'rollback' },
    ] as const) {
      await expect(retrain(command, context(member))).rejects.toMatchObject({ key: 'retrain.forbidden' });
    }
    await expect(forget({ name: 'forget', scope: 'channel' }, context(member))).rejects.toMatchObject({
      key: 'forget.forbidden',
    });
    expect(await history.count(channelA)).toBe(50);
    expect(await control.queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0 });
  });

  it('says there is nothing to learn from when the channel has no stored messages', async () => {
    await expect(retrain({ name: 'retrain', action: 'start' }, context(admin))).rejects.toMatchObject({
      key: 'retrain.noHistory',
    });
  });

  it('queues once per channel, trains in a child process with progress, publishes, and rolls back', async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    const first = await retrain({ name: 'retrain', action: 'start', messages: 200 }, context(admin));
    expect(first.text).toMatch(/queued \(position 1\)/);
    await expect(retrain({ name: 'retrain', action: 'start' }, context(admin))).rejects.toMatchObject({
      key: 'retrain.alreadyQueued',
    });
    await startTrainer();
    const summary = await waitForReply(/^Retrained/);
    expect(summary).toMatch(/on 200 messages .* learned \d+ new words \(.*zorblax.*\); perplexity .* -> /);
    const texts = await replyTexts();
    expect(texts.some((t) => /^Retraining: epoch 1\/2, batch \d+\/\d+, loss \d/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('Retraining: reading messages'))).toBe(true);
    const version = await new ChannelModelVersions(modelsDir, channelA).current();
    expect(version).toBeDefined();
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA))?.scope).toBe(
      'channel',
    );

    await waitForTrainJobRemoved();

    const rolledBack = await retrain({ name: 'retrain', action: 'rollback' }, context(admin));
    expect(rolledBack.text).toMatch(/base model/);
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA))?.scope).toBe('base');
    const again = await retrain({ name: 'retrain', action: 'rollback' }, context(admin));
    expect(again.text).toMatch(/no model of its own/);
  });

  it('cancels a queued request, and a running one, each ending as an answer (asked for: no apology)', async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    const removed = await retrain({ name: 'retrain', action: 'cancel' }, context(admin));
    expect(removed.text).toMatch(/cancelled/);
    // Its status message ends too: no trainer will ever take the request.
    const [acknowledged, ended] = (await replies.getJobs(['waiting']))
      .map((job) => job.data as ReplyJobData)
      .sort((x, y) => (x.status?.seq ?? 0) - (y.status?.seq ?? 0));
    expect(ended?.status).toMatchObject({ key: acknowledged?.status?.key, stage: 'done' });
    expect(ended?.status?.seq).toBeGreaterThan(1_000_000);
    expect(ended?.reply.text).toBe('Retraining cancelled. The current model stays.');
    expect(ended?.outcome).toBe('answer');
    expect((await retrain({ name: 'retrain', action: 'cancel' }, context(admin))).text).toMatch(/No retraining/);

    await startTrainer(500);
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    await waitForReply(/^Retraining: epoch/);
    const signalled = await retrain({ name: 'retrain', action: 'cancel' }, context(admin));
    expect(signalled.text).toMatch(/Stopping/);
    await waitForReply(/^Retraining cancelled/);
    expect(await outcomeOf(/^Retraining cancelled/)).toBe('answer');
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBeUndefined();
    expect(await history.count(channelA)).toBe(200);
  });

  it("forgets a channel: model versions, stored messages and the bot's remembered replies there", async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    await recentReplies.remember(channelA, ['zorblax', 'says', 'hi']);
    await recentReplies.remember(channelB, ['other', 'channel']);
    await startTrainer();
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    await waitForReply(/^Retrained/);
    const done = await forget({ name: 'forget', scope: 'channel' }, context(admin));
    expect(done.text).toMatch(/deleted/);
    expect(await new ChannelModelVersions(modelsDir, channelA).exists()).toBe(false);
    expect(await history.count(channelA)).toBe(0);
    expect(await recentReplies.recent(channelA)).toEqual([]);
    expect(await recentReplies.recent(channelB)).toEqual([['other', 'channel']]);
    expect((await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA))?.scope).toBe('base');
  });

  it('forgets a channel while it trains: the training stops and its checkpoint goes too', async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    await startTrainer(500);
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    const requestId = ((await control.queue.getJob(trainJobId(channelA)))!.data as { requestId: string }).requestId;
    const checkpoint = new TrainingCheckpoint(modelsDir, channelA, requestId);
    await waitForCheckpoint(checkpoint);
    await forget({ name: 'forget', scope: 'channel' }, context(admin));
    await waitForReply(/^Retraining cancelled/);
    await waitForTrainJobRemoved();
    expect(await checkpoint.exists()).toBe(false);
    expect(await new ChannelModelVersions(modelsDir, channelA).exists()).toBe(false);
  });

  it('forgets me: my stored messages go, anyone may ask, and I am left out of later imports', async () => {
    await history.append(channelA, channelMessages('zorblax', 30, ['u1', 'u2', 'u3']));
    const done = await forget({ name: 'forget', scope: 'me' }, context(member));
    expect(done.text).toMatch(/^Done: 10 of your stored messages/);
    const authors = new Set<string | undefined>();
    for await (const m of history.read(channelA)) authors.add(m.author);
    expect([...authors].sort()).toEqual(['u2', 'u3']);
    expect(await history.optedOut('console', 'local')).toEqual(new Set(['u1']));
  });

  it('leaves the published model untouched when a trainer is killed mid-job, and another trainer resumes from its checkpoint', async () => {
    const { requestId, checkpoint } = await retrainAndKillTrainerAtCheckpoint();
    const latest = join(checkpoint.dir, await readlink(join(checkpoint.dir, 'latest')), 'checkpoint.json');
    const left = JSON.parse(await readFile(latest, 'utf8')) as CheckpointState;
    expect(left).toMatchObject({ requestId, baseModelId: 'pipeline-tiny-model-20261129-2327-cb17a1b5' });
    expect(left.tokensSeen).toBeGreaterThan(0);
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBeUndefined();
    await expect(retrain({ name: 'retrain', action: 'start' }, context(admin))).rejects.toMatchObject({
      key: 'retrain.alreadyRunning',
    });

    // Fewer epochs than the killed one had: it goes on from where the checkpoint was, not from zero.
    await startTrainer(40, { lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
    const resumed = await waitForReply(/^Retraining: resumed/);
    const resumedAt = Number(/, (\d+) tokens seen/.exec(resumed)?.[1]);
    expect(resumedAt).toBeGreaterThanOrEqual(left.tokensSeen);
    expect(await waitForReply(/^Retrained/)).toMatch(/zorblax/);
    const version = await new ChannelModelVersions(modelsDir, channelA).current();
    expect(version).toBeDefined();
    const card = JSON.parse(
      await readFile(join(modelsDir, 'channels/console/local/a/versions', version!, 'card.json'), 'utf8'),
    ) as { training: { tokensSeen: number } };
    expect(card.training.tokensSeen).toBeGreaterThan(resumedAt);
    await waitForTrainJobRemoved();
    expect(await checkpoint.exists()).toBe(false);
    await expect(stat(join(modelsDir, 'channels/console/local/a/checkpoints'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('ends a training whose trainers were both killed with a message, and deletes its checkpoint', async () => {
    const { checkpoint } = await retrainAndKillTrainerAtCheckpoint();

    const second = spawnTs('test/fixtures/trainer-process.ts', [TEST_REDIS_URL, prefix, modelsDir, '1000']);
    await waitForReply(/^Retraining: resumed/);
    second.kill('SIGKILL');
    await waitForExit(second);

    // The job stalled twice: the next trainer fails it without training, and says so.
    await startTrainer(2, { lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
    expect(await waitForReply(/retraining failed/)).toBe(renderReply('retrain.failed'));
    await waitUntil(async () => {
      if (await checkpoint.exists()) throw new Error('the checkpoint is still there');
    }, 10_000);
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBeUndefined();
  });

  it('stops a training that needs more memory than TRAIN_MEMORY_LIMIT_MB, once, and keeps the published model', async () => {
    await history.append(channelA, channelMessages('zorblax', 200));
    await startTrainer();
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    await waitForReply(/^Retrained/);
    const published = await new ChannelModelVersions(modelsDir, channelA).current();
    expect(published).toBeDefined();
    await waitForTrainJobRemoved();
    await trainer!.close();

    // Node with TensorFlow loaded is far above 64 MB resident.
    await startTrainer(2, { memoryLimitMb: 64 });
    const failures: number[] = [];
    trainer!.worker.on('failed', (job) => failures.push(job?.attemptsMade ?? -1));
    await retrain({ name: 'retrain', action: 'start' }, context(admin));
    expect(await waitForReply(/more memory/)).toBe(
      'The retraining needed more memory than this server allows (64 MB) and was stopped. The current model stays. Try again on fewer messages, or ask the operator to raise TRAIN_MEMORY_LIMIT_MB.',
    );
    await waitForTrainJobRemoved();
    // The job leaves Redis in the same step that fails it; the worker's 'failed' event can come after.
    await waitUntil(async () => {
      if (failures.length === 0) throw new Error('no failed event yet');
    }, 5_000);
    expect(failures).toHaveLength(1);
    expect(await new ChannelModelVersions(modelsDir, channelA).current()).toBe(published);
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0).resolve(channelA);
    expect(resolved).toMatchObject({ scope: 'channel' });
    const generator = await loadGenerator(resolved!.dir);
    try {
      expect(generator.modelId).toBe(published);
      const [answer] = await generator.generate([{ prompt: 'zorblax', temperature: 0, maxWords: 5 }]);
      expect(answer!.tokens).toBeGreaterThan(0);
    } finally {
      generator.dispose();
    }
  });

  it('brings the stored history up to date from the platform before training', async () => {
    const channel: ChannelRef = { platform: 'discord', workspace: '10', channel: '20' };
    const start = Date.parse('2024-01-01T00:00:00Z');
    const stored = channelMessages('zorblax', 100).map((m, i) => ({
      ...m,
      timestamp: new Date(start + i * 60_000).toISOString(),
    }));
    await history.append(channel, stored);
    const fresh = channelMessages('zorblax', 150, ['u7']).map((m, i) => ({ ...m, timestamp: start + i * 60_000 }));
    const asked: { channel: string; maxMessages?: number }[] = [];
    // Newest first, as the Discord and Slack readers yield; the oldest 100 are already stored.
    const discord: HistorySource = async function* (options) {
      asked.push({ channel: options.channel, maxMessages: options.maxMessages });
      for (const [i, m] of [...fresh.entries()].reverse()) {
        yield { id: String(i), authorId: m.author!, text: m.text, timestamp: m.timestamp };
      }
    };
    await startTrainer(2, { historySources: { discord } });
    await retrain({ name: 'retrain', action: 'start', messages: 1_000 }, context(admin, channel));
    expect(await waitForReply(/^Retrained/)).toMatch(/on 150 messages/);
    expect(asked).toEqual([{ channel: '20', maxMessages: 1_000 }]);
    expect(await history.count(channel)).toBe(150);
    const texts = await replyTexts();
    expect(texts).toContain("Retraining: reading this channel's history, 50 new messages so far.");
  });

  it('says why when the platform history cannot be read, and keeps the current model', async () => {
    const channel: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C1' };
    // eslint-disable-next-line require-yield
    const slack: HistorySource = async function* () {
      throw new CodedError('SLACK_NOT_IN_CHANNEL', 'The bot is not a member of C1: invite it (/invite @bot)');
    };
    await startTrainer(2, { historySources: { slack } });
    const limitsWithSlack = { ...limits, collectsHistory: (platform: string) => platform === 'slack' };
    await retrainCommand(control, limitsWithSlack)({ name: 'retrain', action: 'start' }, context(admin, channel));
    expect(await waitForReply(/^I could not read/)).toBe(renderReply('retrain.historyNotInChannel'));
    expect(await new ChannelModelVersions(modelsDir, channel).current()).toBeUndefined();
  });

  it('runs at most TRAIN_CONCURRENCY trainings at once across trainers', async () => {
    const channelB: ChannelRef = { platform: 'console', workspace: 'local', channel: 'b' };
    await history.append(channelA, channelMessages('zorblax', 200));
    await history.append(channelB, channelMessages('quuxly', 200));
    await startTrainer();
    const secondConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const second = await TrainingWorker.start(
      testTrainerOptions({ connection: secondConnection, redisUrl: TEST_REDIS_URL, prefix, outbox, modelsDir }),
    );
    try {
      expect(await control.queue.getGlobalConcurrency()).toBe(1);
      await retrain({ name: 'retrain', action: 'start' }, context(admin, channelA));
      const queued = await retrain({ name: 'retrain', action: 'start' }, context(admin, channelB));
      expect(queued.text).toMatch(/position [12]\)/);
      await waitForReplies('Retrained', 2);
      const jobs = await replies.getJobs(['waiting', 'active', 'completed']);
      const span = (channel: string) => {
        const times = jobs
          .filter((j) => (j.data as ReplyJobData).address.channelId === channel)
          // The training's own states (waiting ones are posted while the other trains).
          .filter((j) => (j.data as ReplyJobData).status?.stage !== 'queued')
          .map((j) => j.timestamp);
        return { first: Math.min(...times), last: Math.max(...times) };
      };
      const [a, b] = [span('a'), span('b')];
      // One ran entirely before the other: no overlap although two trainers were free.
      expect(a.last <= b.first || b.last <= a.first).toBe(true);
    } finally {
      await second.close();
      secondConnection.disconnect();
    }
  });

  it('keeps waiting requests told their place in the queue, then shows their progress in the same status message', async () => {
    const channels = ['a', 'b', 'c'].map((channel): ChannelRef => ({
      platform: 'console',
      workspace: 'local',
      channel,
    }));
    for (const channel of channels) await history.append(channel, channelMessages('zorblax', 200));
    await startTrainer(2, { positionIntervalMs: 50 });
    for (const channel of channels) await retrain({ name: 'retrain', action: 'start' }, context(admin, channel));
    await waitForReplies('Retrained', 3);
    const states = async (channel: string) =>
      (await replies.getJobs(['waiting', 'active', 'completed']))
        .map((job) => job.data as ReplyJobData)
        .filter((data) => data.address.channelId === channel)
        .sort((x, y) => (x.status?.seq ?? 0) - (y.status?.seq ?? 0));
    const [a, b, c] = (await Promise.all(['a', 'b', 'c'].map(states))) as [
      ReplyJobData[],
      ReplyJobData[],
      ReplyJobData[],
    ];
    for (const list of [a, b, c]) {
      // Every state of a request belongs to its one status message, which starts with the acknowledgement.
      expect(new Set(list.map((data) => data.status?.key)).size).toBe(1);
      expect(list[0]?.reply.text).toMatch(/: queued \(position \d\)/);
    }
    const waiting = (list: ReplyJobData[]) =>
      list.map((d) => d.reply.text).filter((text) => text.startsWith('Retraining: waiting'));
    expect(waiting(a)).toEqual([]);
    expect(waiting(b)).toEqual(['Retraining: waiting for other trainings to finish, position 1 in the queue.']);
    expect(waiting(c)).toEqual([
      'Retraining: waiting for other trainings to finish, position 2 in the queue.',
      'Retraining: waiting for other trainings to finish, position 1 in the queue.',
    ]);
    // In order: the acknowledgement, the positions, then the training's progress, then the summary.
    const stages = c.map((data) => data.status?.stage);
    expect(stages.slice(0, 3)).toEqual(['queued', 'queued', 'queued']);
    expect(stages).toContain('training');
    expect(stages.at(-1)).toBe('done');
    expect(c.at(-1)?.reply.text).toMatch(/^Retrained/);
  });
});

import { describe, expect, it } from 'vitest';
import { discordContext, FakeChatAdapter } from '../helpers/fake-chat-adapter.js';
import { startTestBot, startTestWorker, usePipelineScope } from '../helpers/pipeline-harness.js';
import { queueCounts, waitForQueuesSettled } from '../helpers/queue-counts.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { spawnTs, waitForExit, waitForLine } from '../helpers/spawn-process.js';

describe('a worker that stops mid-job', () => {
  const scope = usePipelineScope();

  /** A bot with a fake adapter, and `test/fixtures/worker-process.ts` with these arguments; both closed after the test. */
  async function botAndWorkerProcess(...workerArgs: string[]) {
    const adapter = new FakeChatAdapter();
    const bot = await startTestBot(TEST_REDIS_URL, scope.prefix, scope.modelsDir, [adapter]);
    scope.closers.push(() => bot.close());
    const worker = spawnTs('test/fixtures/worker-process.ts', [
      TEST_REDIS_URL,
      scope.prefix,
      scope.modelsDir,
      ...workerArgs,
    ]);
    scope.closers.push(async () => void worker.kill('SIGKILL'));
    return { adapter, bot, worker };
  }

  it('leaves its job to another worker, which answers exactly once', async () => {
    const adapter = new FakeChatAdapter();
    const bot = await startTestBot(TEST_REDIS_URL, scope.prefix, scope.modelsDir, [adapter]);
    scope.closers.push(() => bot.close());

    const doomed = spawnTs('test/fixtures/worker-process.ts', [TEST_REDIS_URL, scope.prefix, scope.modelsDir, 'never']);
    scope.closers.push(async () => void doomed.kill('SIGKILL'));
    await waitForLine(doomed, /^READY$/);
    const active = waitForLine(doomed, /^ACTIVE/);
    const outcome = await bot.handlers.handleCommand(
      { name: 'continue', prompt: 'survive', words: 2 },
      discordContext('c'),
    );
    expect(outcome.pendingJobId).toBeTruthy();
    await active;
    doomed.kill('SIGKILL');
    await waitForExit(doomed);
    expect((await queueCounts(TEST_REDIS_URL, scope.prefix, 'generate')).active).toBe(1);

    const rescuer = await startTestWorker(TEST_REDIS_URL, scope.prefix, scope.modelsDir);
    scope.closers.push(() => rescuer.close(5_000));
    const [posted] = await adapter.waitForPosts(1);
    expect(posted?.reply.text).toBe('survive basew0 basew1');
    // Every job processed (retries included): a second post could only have come from one of them.
    await waitForQueuesSettled(TEST_REDIS_URL, scope.prefix, ['generate', adapter.replyQueue]);
    expect(adapter.posted).toHaveLength(1);
    const counts = await queueCounts(TEST_REDIS_URL, scope.prefix, 'generate');
    expect(counts).toMatchObject({ active: 0, wait: 0, completed: 1, failed: 0 });
  });

  it('on SIGTERM, finishes the job in flight, answers it once, and exits cleanly', async () => {
    const { adapter, bot, worker: worker } = await botAndWorkerProcess('1500', '10000');
    await waitForLine(worker, /^READY$/);
    const active = waitForLine(worker, /^ACTIVE/);
    await bot.handlers.handleCommand({ name: 'continue', prompt: 'drain me' }, discordContext('c'));
    await active;
    worker.kill('SIGTERM');
    expect(await waitForExit(worker)).toBe(0);
    const [posted] = await adapter.waitForPosts(1);
    expect(posted?.reply.text).toBe('drain me slowly');
    expect(await queueCounts(TEST_REDIS_URL, scope.prefix, 'generate')).toMatchObject({ active: 0, completed: 1 });
  });

  it('on SIGTERM with a job that outlasts the shutdown deadline, exits anyway and another worker answers', async () => {
    const { adapter, bot, worker: worker } = await botAndWorkerProcess('never', '500');
    await waitForLine(worker, /^READY$/);
    const active = waitForLine(worker, /^ACTIVE/);
    await bot.handlers.handleCommand({ name: 'continue', prompt: 'stuck', words: 1 }, discordContext('c'));
    await active;
    worker.kill('SIGTERM');
    expect(await waitForExit(worker)).toBe(0);

    const rescuer = await startTestWorker(TEST_REDIS_URL, scope.prefix, scope.modelsDir);
    scope.closers.push(() => rescuer.close(5_000));
    const [posted] = await adapter.waitForPosts(1);
    expect(posted?.reply.text).toBe('stuck basew0');
  });
});

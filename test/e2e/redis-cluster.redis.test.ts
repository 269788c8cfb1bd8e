import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../src/queue/redis-connections.js';
import { scanKeys } from '../../src/queue/scan-keys.js';
import { RedisSetup } from '../helpers/redis-cluster.js';
import { removeDir, testPrefix } from '../helpers/redis-test-env.js';
import { cliWorkDir, importConsoleHistory, runCli } from '../helpers/run-cli.js';

/** Every key of the set-up under `pattern`, from every master. */
async function keysOf(url: string, pattern: string): Promise<string[]> {
  const redis = createRedisClient(url, { maxRetriesPerRequest: 1 });
  try {
    await new Promise((resolve) => redis.once('ready', resolve));
    const found: string[] = [];
    for await (const keys of scanKeys(redis, pattern)) found.push(...keys);
    return found;
  } finally {
    redis.disconnect();
  }
}

describe('on a real 3-master Redis Cluster (the compiled CLI: run `npm run build` first)', () => {
  let cluster: RedisSetup;
  let prefix: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cluster = await RedisSetup.cluster();
    prefix = testPrefix();
    ({ workDir, env } = await cliWorkDir(prefix));
    env = { ...env, REDIS_URL: cluster.url };
  });

  afterAll(async () => {
    await cluster?.stop();
    await removeDir(workDir);
  });

  it('answers /temperature and /continue, with every key in the one slot of the {prefix} hash tag', async () => {
    const run = await runCli(['start'], '/temperature 0.5\n/continue the weather today\n/temperature\n', env);
    // TensorFlow's own start-up line speaks of "round-off errors": look for the word error alone.
    expect(run.stderr).not.toMatch(/CROSSSLOT|MOVED|\berror\b/i);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Temperature set to 0.5 for this channel.',
      'The temperature in this channel is 0.5.',
    ]);
    expect(lines[2]).toMatch(/^the weather today ?\S/);

    const keys = await keysOf(cluster.url, `*${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`{${prefix}}:`))).toBe(true);
  });

  it('imports history and runs a small /retrain, after which the channel has its own model', async () => {
    const imported = await importConsoleHistory(workDir, env, 'zorblax', 200);
    expect(imported.code).toBe(0);

    const retrain = await runCli(['start'], '/retrain 200\n', env);
    expect(retrain.code).toBe(0);
    expect(retrain.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Retrained this channel's model on 200 messages in \d+ s: learned \d+ new words/,
    );
    const status = await runCli(['start'], '/status\n/continue zorblax\n', env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Model: this channel's own model, version \S+/m);
    expect(status.stdout.trimEnd().split('\n').at(-1)).toMatch(/^zorblax ?\S/);
  }, 240_000);
});

describe('behind Redis Sentinel (one master, one sentinel; the compiled CLI)', () => {
  let sentinel: RedisSetup;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sentinel = await RedisSetup.sentinel();
    ({ workDir, env } = await cliWorkDir(testPrefix()));
    env = { ...env, REDIS_URL: `${sentinel.url}/3` };
  });

  afterAll(async () => {
    await sentinel?.stop();
    await removeDir(workDir);
  });

  it('answers /temperature and /continue through the master the sentinel names, in the database asked for', async () => {
    const run = await runCli(['start'], '/temperature 1.5\n/continue the weather today\n', env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Temperature set to 1.5 for this channel.');
    expect(lines[1]).toMatch(/^the weather today ?\S/);
    const doctor = await runCli(['doctor'], '', env);
    expect(doctor.stdout).toMatch(/^ok {3}redis: reachable at redis\+sentinel:\/\/127\.0\.0\.1:\d+\/lstm-master\/3/m);
    const settings = await keysOf(`${sentinel.url}/3`, `${env.QUEUE_PREFIX}:settings:*`);
    expect(settings).toEqual([`${env.QUEUE_PREFIX}:settings:console/local/general`]);
  });
});

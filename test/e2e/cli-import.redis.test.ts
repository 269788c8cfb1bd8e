import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { cliWorkDir, removeCliWorkDir, runCli } from '../helpers/run-cli.js';

describe('lstm-bot import (the compiled CLI: run `npm run build` first)', () => {
  let prefix: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => void ({ prefix, workDir, env } = await cliWorkDir()));
  afterEach(() => removeCliWorkDir({ prefix, workDir }));

  const importFile = (file: string, ...extra: string[]) =>
    runCli(['import', '--platform', 'console', '--channel', 'general', '--file', file, ...extra], '', env);

  it('names malformed lines, cuts a huge message, and says what the history cap dropped', async () => {
    const file = join(workDir, 'history.jsonl');
    const huge = 'word '.repeat(20_000);
    const lines = [
      JSON.stringify({ text: 'the first message', author: 'u1' }),
      '{"text": broken',
      JSON.stringify({ text: huge, author: 'u2' }),
      JSON.stringify({ message: 'no text field' }),
      ...['one', 'two', 'three'].map((word) => JSON.stringify({ text: `message number ${word}`, author: 'u1' })),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = await runCli(['import', '--platform', 'console', '--channel', 'general', '--file', file], '', {
      ...env,
      RETRAIN_MAX_MESSAGES: '3',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('read 5 messages, stored 5; the channel now has 3 stored messages');
    expect(run.stderr).toContain('left out 2 malformed entries (line 2: not valid JSON; line 4: no "text" string)');
    expect(run.stderr).toContain('cut 1 message(s) longer than 4000 characters');
    expect(run.stderr).toContain('newest 3 messages (RETRAIN_MAX_MESSAGES): 2 older one(s) were dropped');

    const redis = new Redis(TEST_REDIS_URL);
    try {
      const stored = await redis.lrange(`${prefix}:history:console/local/general`, 0, -1);
      expect(stored).toHaveLength(3);
      expect(Math.max(...stored.map((row) => row.length))).toBeLessThan(200);
    } finally {
      redis.disconnect();
    }
  });

  it('exits 1 when the file has nothing usable', async () => {
    const file = join(workDir, 'nothing.jsonl');
    await writeFile(file, 'not json\n{"text": "/continue a command"}\n');
    const run = await importFile(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing usable in');
    expect(run.stderr).toContain('left out 1 malformed entry (line 1: not valid JSON)');
  });

  it('requires --workspace for Discord and Slack, and keeps the console in local', async () => {
    const file = join(workDir, 'one.jsonl');
    await writeFile(file, `${JSON.stringify({ text: 'hello there' })}\n`);
    for (const platform of ['discord', 'slack']) {
      const run = await runCli(['import', '--platform', platform, '--channel', 'C1', '--file', file], '', env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--workspace is required for (discord: the server|slack: the team) id/);
    }
    const console = await importFile(file, '--workspace', 'T1');
    expect(console.code).toBe(1);
    expect(console.stderr).toContain("the console's --workspace is always local");
  });
});

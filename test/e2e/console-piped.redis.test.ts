import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { cliWorkDir, importConsoleHistory, removeCliWorkDir, runCli } from '../helpers/run-cli.js';
import { waitForExit } from '../helpers/spawn-process.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';

describe('the console channel, piped (the compiled CLI: run `npm run build` first)', () => {
  let prefix: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => void ({ prefix, workDir, env } = await cliWorkDir()));
  afterEach(() => removeCliWorkDir({ prefix, workDir }));

  it('prints the replies of piped commands, a continuation of the prompt, and keeps the setting after a restart', async () => {
    const first = await runCli(['start'], '/temperature 0.5\n/continue the weather today\n', env);
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Temperature set to 0.5 for this channel.');
    // A continuation follows the prompt; the tiny test model may go on with punctuation (`today!`).
    expect(lines[1]).toMatch(/^the weather today ?\S/);
    expect(first.stderr).toContain('"msg":"answered"');

    const second = await runCli(['start'], '/temperature\n/join other\n/temperature\n', env);
    expect(second.code).toBe(0);
    expect(second.stdout.trimEnd().split('\n')).toEqual([
      'The temperature in this channel is 0.5.',
      'You are now in #other.',
      'The temperature in this channel is 0.8 (the default).',
    ]);
  });

  it('answers an @bot line only once the channel turned mentions on', async () => {
    const run = await runCli(
      ['start'],
      '@bot nobody hears this\n/settings mentions on\n@bot the weather today\n@bot\n',
      env,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    // The refusal is immediate; the continuation comes from the worker, so it may print after it.
    expect(lines.slice(0, 1)).toEqual([renderReply('settings.mentionsOn')]);
    expect(lines).toHaveLength(3);
    expect(lines).toContain(renderReply('mention.emptyPrompt'));
    expect(lines.filter((line) => /^the weather today ?\S/.test(line))).toHaveLength(1);
    expect(run.stdout).not.toContain('nobody hears this');
  });

  it('with /settings learning on, stores the plain lines said in the channel, which /forget me removes', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const history = async () =>
      (await redis.lrange(`${prefix}:history:console/local/general`, 0, -1)).map((row) => JSON.parse(row));
    try {
      const on = await runCli(
        ['start'],
        'not stored before\n/settings learning on\nthe dog ran home today\n/temperature\n',
        env,
      );
      expect(on.code).toBe(0);
      expect(on.stdout.trimEnd().split('\n')).toContain(renderReply('settings.learningOn'));
      expect(await history()).toEqual([
        { text: 'the dog ran home today', author: 'console', timestamp: expect.any(String) },
      ]);
      const forget = await runCli(['start'], '/forget me\n', env);
      expect(forget.code).toBe(0);
      expect(await history()).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('with /settings context on, reads the stored messages first: the same greedy prompt is continued otherwise', async () => {
    const imported = await importConsoleHistory(workDir, env, 'zorblax', 20);
    expect(imported.code).toBe(0);
    const ask = '/continue --temperature 0 the weather today\n';
    const off = await runCli(['start'], ask, env);
    const on = await runCli(['start'], `/settings context on\n${ask}`, env);
    expect([off.code, on.code]).toEqual([0, 0]);
    const [bare] = off.stdout.trimEnd().split('\n');
    const [announced, primed] = on.stdout.trimEnd().split('\n');
    expect(announced).toBe(renderReply('settings.contextOn'));
    expect(bare).toMatch(/^the weather today ?\S/);
    expect(primed).toMatch(/^the weather today ?\S/);
    expect(primed).not.toBe(bare);
  });

  it('answers bad input with short messages and no stack trace', async () => {
    const run = await runCli(['start'], '/frobnicate\n/temperature 7\n/continue\n/join ../x\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'Unknown command /frobnicate. Type /help for the list.',
      'The temperature must be a number from 0 to 2 (0 always picks the likeliest word).',
      'Give me a few words to continue, e.g. `/continue the weather today`.',
      'Channel names use letters, digits, - and _ (at most 64).',
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('still answers on the JavaScript backend when native TensorFlow is missing, and says so loudly', async () => {
    const run = await runCli(['start'], '/continue the weather today\n', { ...env, LSTM_BOT_DISABLE_NATIVE_TF: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd()).toMatch(/^the weather today ?\S/);
    expect(run.stderr).toContain('native TensorFlow (@tensorflow/tfjs-node) is not available');
    expect(run.stderr).toContain('training will be VERY slow');
  });

  it(
    'imports history, prints each stage once and the summary, then the channel uses its own model',
    { timeout: 240_000 },
    async () => {
      const imported = await importConsoleHistory(workDir, env, 'zorblax', 200);
      expect(imported.code).toBe(0);

      const retrain = await runCli(['start'], '/retrain 200\n', env);
      expect(retrain.code).toBe(0);
      const out = retrain.stdout.trimEnd().split('\n');
      expect(out[0]).toBe(
        'Retraining on up to 200 stored messages of this channel: queued (position 1). Progress follows here.',
      );
      expect(out.at(-1)).toMatch(
        /^Retrained this channel's model on 200 messages in \d+ s: learned \d+ new words \(.*zorblax.*\); perplexity on the newest messages \d+\.\d -> \d+\.\d \(\d+\.\d mixed with the channel's word-sequence counts, as it replies\)\./,
      );
      // Piped: a line per stage (and one at least every 15 s in a long stage), so a log stays readable.
      const stages = out.slice(1, -1).map((line) => line.replace(/^Retraining: (\w+).*$/, '$1'));
      expect(stages.filter((stage, i) => stage !== stages[i - 1])).toEqual([...new Set(stages)]);
      expect(stages).toEqual(expect.arrayContaining(['reading', 'loading', 'epoch', 'publishing']));

      const status = await runCli(['start'], '/status\n/join other\n/status\n', env);
      expect(status.code).toBe(0);
      const models = status.stdout.split('\n').filter((line) => line.startsWith('Model: '));
      expect(models[0]).toMatch(/^Model: this channel's own model, version \S+/);
      expect(models[1]).toMatch(/^Model: the base model, version /);
    },
  );

  it('exits 1 when a /retrain it waited for failed, after printing why', { timeout: 240_000 }, async () => {
    const imported = await importConsoleHistory(workDir, env, 'zorblax', 5);
    expect(imported.code).toBe(0);
    const run = await runCli(['start'], '/retrain\n', env);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Not enough stored messages to retrain on (at least 10 are needed).',
    );
    expect(run.stderr).toContain('lstm-bot: 1 of the requests failed.');
    expect(run.code).toBe(1);
  });

  it('two consoles on one Redis each print their own answers, none of the other', { timeout: 180_000 }, async () => {
    // The first console keeps running (its input open) while the second asks five times, in words the
    // tiny model knows (a mostly unknown prompt's answer has a second line, the note of its unknown words).
    const first = spawn(process.execPath, ['bin/lstm-bot.js', 'start'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let firstOut = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOut += chunk.toString()));
    first.stdin.write('/continue the weather today\n');
    await vi.waitFor(() => expect(firstOut).toMatch(/^the weather today/), { timeout: 90_000, interval: 200 });
    const second = await runCli(['start'], '/continue did you see my dog\n'.repeat(5), env);
    first.stdin.end();
    expect(await waitForExit(first)).toBe(0);
    expect(firstOut.trimEnd().split('\n')).toEqual([expect.stringMatching(/^the weather today ?\S/)]);
    expect(second.code).toBe(0);
    const lines = second.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^did you see my dog ?\S/);
  });
});

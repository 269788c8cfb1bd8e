import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomLstmParams } from '../../../src/bench/random-lstm-params.js';
import { buildCli } from '../../../src/main/cli.js';
import { disposeParams } from '../../../src/model/lstm/lstm-params.js';
import type { ModelCard } from '../../../src/model/store/model-card.js';
import { saveModel } from '../../../src/model/store/save-model.js';
import { Vocabulary } from '../../../src/model/text/vocabulary.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lstm-bot-generate-'));
  const words = 'hello there how are you doing today i am fine thanks , . ! ?'.split(' ');
  const vocab = Vocabulary.build(new Map(words.map((word, i) => [word, 100 - i])), { maxSize: 64 });
  const config = { vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16, layers: 1 };
  const params = randomLstmParams(config, 4, 6);
  const card: Omit<ModelCard, 'weights'> = {
    format: 'lstm-bot-model',
    formatVersion: 1,
    id: 'tiny-cli-model',
    createdAt: new Date(0).toISOString(),
    config,
    corpus: { name: 'none', sha256: '0', format: 'lines', messages: 0, tokens: 0, unknownRate: 0 },
    training: {
      seqLength: 1,
      batchSize: 1,
      learningRate: 0,
      carryState: false,
      seed: 4,
      epochs: 0,
      tokensSeen: 0,
      trainingSeconds: 0,
      stoppedBy: 'test',
      backend: 'test',
    },
    validation: { loss: 0, perplexity: 1, tokens: 0 },
    command: 'test fixture',
    licenses: [],
  };
  await saveModel(join(dir, 'tiny'), { params, vocab, card });
  disposeParams(params);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)));
  process.exitCode = 0;
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildCli().parseAsync(['generate', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

describe('lstm-bot generate', () => {
  it('prints the prompt and its continuation; the same seed gives the same text', async () => {
    const first = await run('--model', join(dir, 'tiny'), '--prompt', 'hello there', '--seed', '3', '--words', '6');
    const again = await run('--model', join(dir, 'tiny'), '--prompt', 'hello there', '--seed', '3', '--words', '6');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^hello there\S*\s*\S/);
    expect(again.out).toBe(first.out);
  });

  it('prints JSON with the model id and how generation stopped', async () => {
    const { out, code } = await run(
      '--model', join(dir, 'tiny'), '--prompt', '', '--temperature', '0', '--top-k', '5', '--top-p', '0.9', '--json',
    ); // prettier-ignore
    expect(code).toBe(0);
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toMatchObject({ modelId: 'tiny-cli-model', prompt: '' });
    expect(result.tokens).toBeGreaterThan(0);
    expect(['end-of-message', 'word-limit']).toContain(result.stoppedBy);
  });

  it.each([['3'], ['-1']])('rejects temperature %s with a message naming the range (exit 2)', async (t) => {
    const { err, code } = await run('--model', join(dir, 'tiny'), '--prompt', 'hi', '--temperature', t);
    expect(code).toBe(2);
    expect(err).toMatch(/temperature must be a number from 0 to 2/);
  });

  it.each([
    [['--words', '0'], /lstm-bot generate: --words must be a whole number from 1 to \d+, got 0/],
    [['--words', '5', '--min-words', '9'], /--min-words must be a whole number from 0 to --words \(5\), got 9/],
    [['--top-k', '1.5'], /--top-k must be a whole number >= 0/],
    [['--top-p', '2'], /--top-p must be a number above 0 and at most 1/],
    [['--seed', '9007199254740992'], /--seed must be a whole number from -9007199254740991 to 9007199254740991/],
  ])('names the flag, not the option behind it: %j (exit 2)', async (flags, message) => {
    const { err, code } = await run('--model', join(dir, 'tiny'), '--prompt', 'hi', ...flags);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it.each([
    ['--words', '0x10'],
    ['--seed', '1e3'],
    ['--temperature', 'Infinity'],
  ])('reads %s %s as chat commands read numbers: not a number', async (flag, value) => {
    await expect(run('--model', join(dir, 'tiny'), '--prompt', 'hi', flag, value)).rejects.toThrow(
      new RegExp(`${flag} must be a number`),
    );
  });

  it('rejects a temperature that is not a number while parsing flags', async () => {
    await expect(run('--model', join(dir, 'tiny'), '--prompt', 'hi', '--temperature', 'NaN')).rejects.toThrow(
      /--temperature must be a number/,
    );
  });

  it('says so when the model folder does not exist (exit 1)', async () => {
    const { err, code } = await run('--model', join(dir, 'missing'), '--prompt', 'hi');
    expect(code).toBe(1);
    expect(err).toMatch(/no model in .*missing/);
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('lstm-bot train --precision (the compiled CLI: run `npm run build` first)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses mixed where oneDNN cannot multiply bfloat16, before training anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lstm-bot-precision-'));
    dirs.push(dir);
    const out = join(dir, 'model');
    const args = ['train', '--corpus', 'test/fixtures/tiny-dialogue.txt', '--out', out, '--precision', 'mixed'];
    // Without the refusal TensorFlow aborts the process at the first bfloat16 product under this limit.
    const run = await runCli(args, '', { PATH: process.env.PATH, HOME: process.env.HOME, ONEDNN_MAX_CPU_ISA: 'AVX2' });
    expect(run.code).toBe(1);
    // (On a CPU without AVX-512 the CPU itself is the reason given.)
    expect(run.stderr).toMatch(
      /argument 'mixed' is invalid\. mixed cannot run here: (ONEDNN_MAX_CPU_ISA=AVX2 keeps oneDNN below|the CPU lacks) AVX-512/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

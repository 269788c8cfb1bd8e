import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkBenchInputs } from '../../../src/bench/check-bench-inputs.js';

const LINES = 'test/fixtures/tiny-dialogue.txt';
const JSONL = 'test/fixtures/corpus/messages.jsonl';

describe('checkBenchInputs', () => {
  it('skips the fine-tuning part, saying why, when the corpus has no "channel" field', async () => {
    const inputs = await checkBenchInputs({ corpus: LINES, skip: [] });
    expect(inputs.finetuneRoom).toBeUndefined();
    expect(inputs.skipped.finetune).toMatch(/has no "channel" field.*--finetune-corpus/);
  });

  it('finds the room to fine-tune on in a JSON Lines corpus, and skips nothing', async () => {
    expect(await checkBenchInputs({ corpus: LINES, finetuneCorpus: JSONL, skip: [] })).toEqual({
      finetuneRoom: 'general',
      skipped: {},
    });
    expect(await checkBenchInputs({ corpus: LINES, skip: ['finetune'] })).toEqual({ skipped: {} });
  });

  it('refuses a corpus that does not exist', async () => {
    await expect(checkBenchInputs({ corpus: 'no/such/file.txt', skip: [] })).rejects.toThrow(
      'corpus file not found or not a file: no/such/file.txt',
    );
  });

  it('npm run bench stops at once on a missing corpus, before any training (compiled: run `npm run build`)', async () => {
    const run = promisify(execFile)(process.execPath, ['dist/bench/main.js', '--json', '--corpus', 'no/such.txt']);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('corpus file not found') });
  });
});

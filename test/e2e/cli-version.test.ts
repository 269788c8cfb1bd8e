import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('lstm-bot --version (the compiled CLI: run `npm run build` first)', () => {
  it("prints package.json's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag], '', { PATH: process.env.PATH });
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });
});

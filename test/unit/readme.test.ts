import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildCli } from '../../src/main/cli.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it.each(Object.keys(configSchema.shape))('has a config table row for %s', (key) => {
    expect(readme).toContain(`| \`${key}\` |`);
  });

  it.each(buildCli().commands.map((c) => c.name()))('documents the `lstm-bot %s` command', (name) => {
    expect(readme).toMatch(new RegExp(`\\| \`lstm-bot ${name}[ \`]`));
  });

  it('names the two commands of a fresh clone', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});

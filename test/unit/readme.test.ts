import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDefaults, configSchema } from '../../src/config/schema.js';
import { slackBodyLimitBytes } from '../../src/adapters/slack/start-slack.js';
import { buildCli } from '../../src/main/cli.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it.each(Object.keys(configSchema.shape))('has a config table row for %s', (key) => {
    expect(readme).toContain(`| \`${key}\` |`);
  });

  it.each(buildCli().commands.map((c) => c.name()))('documents the `lstm-bot %s` command', (name) => {
    expect(readme).toMatch(new RegExp(`\\| \`lstm-bot ${name}[ \`]`));
  });

  it("states the Slack receiver's body limit as slackBodyLimitBytes computes it", () => {
    expect(slackBodyLimitBytes(1)).toBe(2 * 9 * 4 + 16 * 1024);
    expect(readme).toContain('`2 x 9 x 4 x MAX_PROMPT_CHARS + 16 KiB`');
    expect(readme).toContain(
      `(${slackBodyLimitBytes(configDefaults.MAX_PROMPT_CHARS).toLocaleString('en-US')} bytes by default`,
    );
  });

  it('names the two commands of a fresh clone', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});

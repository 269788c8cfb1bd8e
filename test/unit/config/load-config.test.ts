import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { Secret } from '../../../src/config/secret.js';

const noFile = join(tmpdir(), 'lstm-bot-no-such-config.yaml');
const load = (env: Record<string, string>) => loadConfig({ env });

const configDirs: string[] = [];
afterAll(() => {
  for (const dir of configDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for a config file, removed after the tests. */
function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-bot-config-'));
  configDirs.push(dir);
  return dir;
}

function problemsOf(env: Record<string, string>) {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = load({});
    expect(config.DEFAULT_TEMPERATURE).toBe(0.8);
    expect(config.DEFAULT_WORDS).toBe(40);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.MODELS_DIR).toBe('models');
    expect(config.SLACK_SOCKET_MODE).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads numbers, flags and lists from environment strings', () => {
    const config = load({ DEFAULT_TEMPERATURE: '1.25', SLACK_SOCKET_MODE: 'yes', SLACK_ADMIN_USERS: 'U1, U2,,' });
    expect(config.DEFAULT_TEMPERATURE).toBe(1.25);
    expect(config.SLACK_SOCKET_MODE).toBe(true);
    expect(config.SLACK_ADMIN_USERS).toEqual(['U1', 'U2']);
  });

  it('names every bad key at once with what was expected', () => {
    const problems = problemsOf({
      DEFAULT_TEMPERATURE: '3',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://localhost',
      HEALTH_PORT: 'eighty',
    });
    expect(problems.map((p) => p.key).sort()).toEqual(['DEFAULT_TEMPERATURE', 'HEALTH_PORT', 'LOG_LEVEL', 'REDIS_URL']);
    const temperature = problems.find((p) => p.key === 'DEFAULT_TEMPERATURE');
    expect(temperature?.expected).toMatch(/2/);
    expect(temperature?.received).toBe('"3"');
    expect(problems.find((p) => p.key === 'REDIS_URL')?.expected).toMatch(/redis:\/\//);
  });

  it('renders the problems as one line per key', () => {
    try {
      load({ DEFAULT_WORDS: '0', MAX_WORDS: 'many' });
      expect.unreachable();
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines[0]).toBe('Invalid configuration:');
      expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(['DEFAULT_WORDS', 'MAX_WORDS']);
    }
  });

  it('refuses a MIN_WORDS above MAX_WORDS, naming the limit', () => {
    const problems = problemsOf({ MIN_WORDS: '300', MAX_WORDS: '200' });
    expect(problems).toEqual([{ key: 'MIN_WORDS', expected: 'must be at most MAX_WORDS (200)', received: '"300"' }]);
    expect(load({ MIN_WORDS: '200', MAX_WORDS: '200' }).MIN_WORDS).toBe(200);
  });

  it('takes a MAX_WORDS below the default MIN_WORDS (the default is then clamped to it, as before)', () => {
    expect(load({ MAX_WORDS: '5' })).toMatchObject({ MAX_WORDS: 5, MIN_WORDS: 8 });
  });

  it('never echoes a bad secret value in its error', () => {
    const problems = problemsOf({ DISCORD_TOKEN: '   ' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.received).toBe('[redacted]');
  });

  it('wraps tokens in Secret so they print as [redacted]', () => {
    const config = load({ SLACK_BOT_TOKEN: 'xoxb-123-abc' });
    expect(config.SLACK_BOT_TOKEN).toBeInstanceOf(Secret);
    expect(config.SLACK_BOT_TOKEN?.reveal()).toBe('xoxb-123-abc');
    expect(JSON.stringify(config)).not.toContain('xoxb-123-abc');
    expect(`${config.SLACK_BOT_TOKEN}`).toBe('[redacted]');
  });

  it('reads a YAML file, with the environment taking precedence', () => {
    const file = join(configDir(), 'bot.yaml');
    writeFileSync(file, 'DEFAULT_TEMPERATURE: 0.3\nDEFAULT_WORDS: 12\n');
    const config = loadConfig({ env: { CONFIG_FILE: file, DEFAULT_WORDS: '20' } });
    expect(config.DEFAULT_TEMPERATURE).toBe(0.3);
    expect(config.DEFAULT_WORDS).toBe(20);
  });

  it('rejects unknown keys in the file, naming them', () => {
    const file = join(configDir(), 'bot.yaml');
    writeFileSync(file, 'DEFAULT_TEMPERATURE: 0.3\nTEMPRATURE: 1\n');
    expect(() => loadConfig({ env: { CONFIG_FILE: file } })).toThrow(/TEMPRATURE: is not a known setting/);
  });

  it('names an unknown key in the file together with every bad value, from the file and the environment', () => {
    const file = join(configDir(), 'bot.yaml');
    writeFileSync(file, 'DEFAULT_TEMPERATURE: 0.5\nDEFAULT_TEMPRATURE: 0.9\nMAX_WORDS: "many"\n');
    const problems = problemsOf({ CONFIG_FILE: file, DEFAULT_TEMPERATURE: '9' });
    expect(problems.map((p) => p.key).sort()).toEqual(['DEFAULT_TEMPERATURE', 'DEFAULT_TEMPRATURE', 'MAX_WORDS']);
  });

  it('reports a missing explicit config file', () => {
    expect(() => loadConfig({ env: { CONFIG_FILE: noFile } })).toThrow(/CONFIG_FILE: must be a readable YAML file/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config, type ConfigKey } from './schema.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { withClusterPrefix } from './redis-target.js';
import { redactUrl } from './redact-url.js';

export const DEFAULT_CONFIG_FILE = 'config/lstm-bot.yaml';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** The optional YAML file; `CONFIG_FILE` in `env` overrides it. Missing default file is fine. */
  file?: string;
}

/**
 * Reads the config once: keys from the optional YAML file, overridden by the environment.
 * Throws a `ConfigError` naming every bad key and what it expects.
 */
export function loadConfig({ env = process.env, file }: LoadConfigOptions = {}): Config {
  const keys = Object.keys(configSchema.shape) as ConfigKey[];
  const explicitFile = env.CONFIG_FILE ?? file;
  const path = resolve(explicitFile ?? DEFAULT_CONFIG_FILE);
  const fromFile = explicitFile || existsSync(path) ? readConfigFile(path) : {};

  const raw: Record<string, unknown> = { ...fromFile };
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }

  const result = configSchema.safeParse(raw);
  const problems = [...unknownKeys(fromFile, keys, path), ...(result.success ? [] : describeIssues(result.error, raw))];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(withClusterPrefix(result.data));
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([
      { key: 'CONFIG_FILE', expected: `must be a readable YAML file (${path})`, received: String(error) },
    ]);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([
      { key: 'CONFIG_FILE', expected: `must be a YAML map of settings (${path})`, received: typeof parsed },
    ]);
  }
  return parsed as Record<string, unknown>;
}

/** Keys of the file that are no setting (a typo such as `DEFAULT_TEMPRATURE`), named beside every other problem. */
function unknownKeys(fromFile: Record<string, unknown>, keys: readonly string[], path: string): ConfigProblem[] {
  return Object.keys(fromFile)
    .filter((key) => !keys.includes(key))
    .map((key) => ({
      key,
      expected: `is not a known setting (see the README's config table); found in ${path}`,
      received: 'unknown key',
    }));
}

/** A URL's credentials never reach an error message, whatever key it was given for. */
function printable(key: string, value: unknown): unknown {
  return typeof value === 'string' && (key.endsWith('_URL') || value.includes('://') || value.includes('@'))
    ? redactUrl(value)
    : value;
}

function describeIssues(error: z.ZodError, raw: Record<string, unknown>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(config)');
    const isSecret = /TOKEN|SECRET/.test(key);
    const value = raw[key];
    return {
      key,
      expected: issue.message.replace(/^Invalid input: /, ''),
      received: value === undefined ? 'nothing' : isSecret ? '[redacted]' : JSON.stringify(printable(key, value)),
    };
  });
}

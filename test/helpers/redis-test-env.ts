import { deletePrefixedKeys } from '../../src/ops/delete-prefixed-keys.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/ops/logger.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const silentLogger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A fresh queue prefix per test; `cleanup` deletes every key under it. */
export function testPrefix(): string {
  return `test-${randomUUID()}`;
}

/** Deletes every key of a test's prefix. */
export const deleteKeys = deletePrefixedKeys;

/** A throwaway model store with a base model card (the fake generator ignores the weights). */
export async function makeModelStore(version = 'base-1'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-models-'));
  await writeModelCard(join(dir, 'base'), version);
  return dir;
}

export async function writeModelCard(dir: string, version: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'card.json'), JSON.stringify({ version, created: new Date().toISOString() }));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

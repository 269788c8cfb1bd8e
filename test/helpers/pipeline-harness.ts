import { basename } from 'node:path';
import type { ChatAdapter } from '../../src/commands/chat-adapter.js';
import { startBot, type Bot, type BotConfig } from '../../src/main/start-bot.js';
import type { TextGenerator } from '../../src/model/sampling/text-generator.js';
import {
  startGenerationWorker,
  type GenerationWorker,
  type GenerationWorkerOptions,
} from '../../src/generation/generation-worker.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { FakeChatAdapter } from './fake-chat-adapter.js';
import { FakeTextGenerator } from './fake-text-generator.js';
import { RecordingGenerator } from './recording-generator.js';
import { afterEach, beforeEach } from 'vitest';
import { deleteKeys, makeModelStore, removeDir, silentLogger, TEST_REDIS_URL, testPrefix } from './redis-test-env.js';

export function botConfig(prefix: string, modelsDir: string, overrides: Partial<BotConfig> = {}): BotConfig {
  return {
    QUEUE_PREFIX: prefix,
    MODELS_DIR: modelsDir,
    DEFAULT_TEMPERATURE: 0.8,
    DEFAULT_WORDS: 5,
    MIN_WORDS: 0,
    MAX_WORDS: 200,
    MAX_PROMPT_CHARS: 1_000,
    RATE_LIMIT_USER_PER_MINUTE: 0,
    RATE_LIMIT_CHANNEL_PER_MINUTE: 0,
    COMMAND_TIMEOUT_MS: 3_000,
    GENERATE_ATTEMPTS: 3,
    MODEL_CHECK_MS: 200,
    ...overrides,
  };
}

export function startTestBot(
  redisUrl: string,
  prefix: string,
  modelsDir: string,
  adapters: ChatAdapter[],
  overrides: Partial<BotConfig> = {},
  options: { random?: () => number } = {},
): Promise<Bot> {
  return startBot({
    config: botConfig(prefix, modelsDir, overrides),
    redisUrl,
    adapters,
    logger: silentLogger,
    random: options.random,
  });
}

/** What a test may change of its generation worker. */
export interface TestWorkerOptions {
  loadGenerator?: (dir: string) => Promise<TextGenerator>;
  lockMs?: number;
  concurrency?: number;
  modelCheckMs?: number;
  recentContext?: GenerationWorkerOptions['recentContext'];
  recentReplies?: GenerationWorkerOptions['recentReplies'];
}

/** A generation worker whose models are `FakeTextGenerator`s named after the model folder. */
export function startTestWorker(
  redisUrl: string,
  prefix: string,
  modelsDir: string,
  options: TestWorkerOptions = {},
): Promise<GenerationWorker> {
  return startGenerationWorker({
    redisUrl,
    prefix,
    models: modelPaths({ MODELS_DIR: modelsDir }),
    loadGenerator: options.loadGenerator ?? (async (dir) => new FakeTextGenerator(basename(dir))),
    backend: 'fake',
    logger: silentLogger,
    concurrency: options.concurrency ?? 8,
    batchMax: 16,
    batchWaitMs: 2,
    cacheSize: 2,
    timeoutMs: 10_000,
    lockMs: options.lockMs ?? 2_000,
    stalledIntervalMs: 1_000,
    modelCheckMs: options.modelCheckMs ?? 200,
    recentContext: options.recentContext,
    recentReplies: options.recentReplies,
  });
}

/** What a pipeline test works in: its own key prefix and model store, and what to close after it. */
export interface PipelineScope {
  prefix: string;
  modelsDir: string;
  /** Run after the test, last first, before its keys and model store are removed. */
  readonly closers: (() => Promise<void>)[];
}

/**
 * Registers the hooks of a pipeline test suite: each test gets a fresh prefix and model store, and
 * everything it pushed on `closers` is closed, its keys deleted and its model store removed after it.
 */
export function usePipelineScope(): PipelineScope {
  const scope: PipelineScope = { prefix: '', modelsDir: '', closers: [] };
  beforeEach(async () => {
    scope.prefix = testPrefix();
    scope.modelsDir = await makeModelStore();
  });
  afterEach(async () => {
    for (const close of scope.closers.splice(0).reverse()) await close();
    await deleteKeys(TEST_REDIS_URL, scope.prefix);
    await removeDir(scope.modelsDir);
  });
  return scope;
}

/**
 * A bot with a `FakeChatAdapter` and a worker whose model records the requests it is given
 * (`RecordingGenerator`), in `scope` (closed after the test).
 */
export async function startRecordingPipeline(
  scope: PipelineScope,
  workerOptions: Omit<TestWorkerOptions, 'loadGenerator'> = {},
): Promise<{ adapter: FakeChatAdapter; generator: RecordingGenerator }> {
  const adapter = new FakeChatAdapter();
  const bot = await startTestBot(TEST_REDIS_URL, scope.prefix, scope.modelsDir, [adapter]);
  scope.closers.push(() => bot.close());
  const generator = new RecordingGenerator('base');
  const worker = await startTestWorker(TEST_REDIS_URL, scope.prefix, scope.modelsDir, {
    ...workerOptions,
    loadGenerator: async () => generator,
  });
  scope.closers.push(() => worker.close(5_000));
  return { adapter, generator };
}

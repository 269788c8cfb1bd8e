import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Redis } from 'ioredis';
import type { Platform } from '../../src/commands/channel-ref.js';
import type { HistorySource } from '../../src/history/history-source.js';
import { loadGenerator } from '../../src/main/load-generator.js';
import { ReplyOutbox } from '../../src/queue/reply-outbox.js';
import type { GenerationWorker } from '../../src/generation/generation-worker.js';
import { TrainingWorker, type TrainingWorkerOptions } from '../../src/training/training-worker.js';
import { startTestWorker } from './pipeline-harness.js';
import { removeDir, silentLogger } from './redis-test-env.js';

/** A trainer for tests: the tiny base model in `modelsDir`, 2 small epochs, every progress report posted. */
export function testTrainerOptions(
  o: Pick<TrainingWorkerOptions, 'connection' | 'redisUrl' | 'prefix' | 'outbox' | 'modelsDir'>,
): TrainingWorkerOptions {
  return {
    ...o,
    logger: silentLogger,
    baseModelDir: join(o.modelsDir, 'base'),
    maxStoredMessages: 5_000,
    keepRawHistory: true,
    keepVersions: 3,
    concurrency: 1,
    timeLimitMs: 120_000,
    fineTune: { epochs: 2, batchSize: 8, seqLength: 8 },
    progressIntervalMs: 0,
  };
}

export interface RetrainHarness {
  modelsDir: string;
  /** Model folders the generation worker loaded, relative to `modelsDir` (`base`, `channels/.../versions/<id>`). */
  loaded: string[];
  worker: GenerationWorker;
  close(): Promise<void>;
}

/**
 * The back end of a `/retrain` with real parts: a model store whose base is the tiny fixture model,
 * a trainer (fine-tuning in its child process, a few small epochs) and a generation worker with the
 * real LSTM loader that records which model folders it loads.
 */
export async function startRetrainBackEnd(
  redisUrl: string,
  prefix: string,
  historySources: Partial<Record<Platform, HistorySource>> = {},
  trainerOptions: { keepRawHistory?: boolean } = {},
): Promise<RetrainHarness> {
  const modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-retrain-e2e-'));
  await cp('test/fixtures/models/tiny', join(modelsDir, 'base'), { recursive: true });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const outbox = new ReplyOutbox(connection, prefix);
  const trainer = await TrainingWorker.start({
    ...testTrainerOptions({ connection, redisUrl, prefix, outbox, modelsDir }),
    positionIntervalMs: 100,
    historySources,
    ...trainerOptions,
  });
  const realModelsDir = await realpath(modelsDir);
  const loaded: string[] = [];
  const worker = await startTestWorker(redisUrl, prefix, modelsDir, {
    loadGenerator: (dir) => {
      loaded.push(relative(realModelsDir, dir));
      return loadGenerator(dir);
    },
  });
  return {
    modelsDir,
    loaded,
    worker,
    async close() {
      await worker.close(5_000);
      await trainer.close();
      await outbox.close();
      connection.disconnect();
      await removeDir(modelsDir);
    },
  };
}

// Peak resident memory of one training child, the figure TRAIN_MEMORY_LIMIT_MB bounds. Needs `npm run
// build` and Redis (REDIS_URL, default redis://127.0.0.1:6379); leaves nothing behind.
//
//   node scripts/measure-train-rss.mjs --base DIR --history FILE [--messages N] [--seconds S]
//
// FILE is a history import source (our JSONL, a DiscordChatExporter .json, a Slack export folder); its
// newest N (10000) messages are fine-tuned on from the model in DIR for at most S (60) seconds, in a
// training child exactly as `lstm-bot trainer` runs it, with its resident memory read every 100 ms.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { importHistory } from '../dist/history/import-history.js';
import { historyFormatOf, readHistoryFile } from '../dist/history/read-history-file.js';
import { RedisHistoryStore } from '../dist/history/redis-history-store.js';
import { deletePrefixedKeys } from '../dist/ops/delete-prefixed-keys.js';
import { runTrainingChild } from '../dist/training/run-training-child.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    history: { type: 'string' },
    messages: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '60' },
  },
});
if (!values.base || !values.history) {
  console.error('usage: node scripts/measure-train-rss.mjs --base DIR --history FILE [--messages N] [--seconds S]');
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `measure-${randomUUID()}`;
const messages = Number(values.messages);
const seconds = Number(values.seconds);
const channel = { platform: 'console', workspace: 'local', channel: 'measure' };
const modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-measure-'));
const redis = new Redis(redisUrl);
try {
  await cp(values.base, join(modelsDir, 'base'), { recursive: true });
  const history = new RedisHistoryStore(redis, prefix, messages);
  const imported = await importHistory(
    history,
    channel,
    readHistoryFile(values.history, await historyFormatOf(values.history)),
  );
  let peakMb = 0;
  const started = performance.now();
  const summary = await runTrainingChild(
    {
      redisUrl,
      prefix,
      modelsDir,
      baseModelDir: join(modelsDir, 'base'),
      channel,
      requestId: randomUUID(),
      messages,
      maxStoredMessages: messages,
      keepRawHistory: true,
      keepVersions: 1,
      fineTune: { timeBudgetMs: seconds * 1000 },
    },
    {
      onProgress: () => undefined,
      timeLimitMs: seconds * 1000 * 3 + 60_000,
      memoryCheckMs: 100,
      onPeakMemory: (mb) => void (peakMb = mb),
    },
  );
  console.log(
    JSON.stringify({
      base: values.base,
      history: values.history,
      messages: imported.total,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      wordsAdded: summary.wordsAdded,
      perplexityBase: Math.round(summary.perplexityBase * 10) / 10,
      perplexityFineTuned: Math.round(summary.perplexityFineTuned * 10) / 10,
      peakRssMb: Math.round(peakMb),
    }),
  );
} finally {
  redis.disconnect();
  await deletePrefixedKeys(redisUrl, prefix);
  await rm(modelsDir, { recursive: true, force: true });
}

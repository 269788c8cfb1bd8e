/**
 * One room of the quality benchmark (`npm run bench -- --quality`): what a `/retrain` of that room
 * gives, against a Markov chain on the same messages.
 *
 * 1. The room's newest `messages` messages of a JSONL chat corpus, cleaned as `lstm-bot import` cleans
 *    them, are stored in Redis (a key prefix of its own) as a channel's history, and `fineTuneChannel`
 *    (the function a `/retrain` runs) fine-tunes the base model on them into a fresh model store, with
 *    the newest 10% held out.
 * 2. On the held-out messages, written in the channel's vocabulary, the base model, the fine-tuned model
 *    and interpolated Kneser-Ney trigram and bigram models trained on the same training messages and ids
 *    are scored on the same positions (those `evaluateModel` scores), the base with its `<unk>`
 *    probability shared among the words it lacks (`evaluateOnVocabulary`).
 * 3. The channel's model (the fine-tuned one if `/retrain` published it) continues the first words of
 *    held-out messages at the bot's default settings, as the bot samples it (its n-gram mixture and cache
 *    when it has them), one reply after another through the worker's memory of recent replies, and
 *    without the cache and the n-gram for comparison; they are measured and judged by the base model
 *    (`room-replies.ts`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import { cleanMessage } from '../history/clean-message.js';
import { RedisHistoryStore } from '../history/redis-history-store.js';
import type { StoredMessage } from '../history/stored-message.js';
import { ChannelAuthors } from '../model/text/channel-authors.js';
import { encodeCorpus } from '../model/corpus/encode-corpus.js';
import { evaluateOnVocabulary } from '../model/evaluation/evaluate-on-vocabulary.js';
import { KneserNey } from '../model/evaluation/kneser-ney.js';
import { loadModel, type LoadedModel } from '../model/store/load-model.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import { readCorpus } from '../model/corpus/read-corpus.js';
import { scoredPositions } from '../model/evaluation/scored-positions.js';
import { deletePrefixedKeys } from '../ops/delete-prefixed-keys.js';
import { ModelResolver } from '../model/store/model-resolver.js';
import { fineTuneChannel } from '../training/fine-tune-channel.js';
import type { TrainingSummary } from '../training/training-progress.js';
import { contextScores, type ContextScores } from './context-scores.js';
import { mixtureScores, type MixtureScores } from './mixture-scores.js';
import { keepFineTuned, readKeptFineTune } from './kept-finetune.js';
import { roomReplies, type RoomReplies } from './room-replies.js';

export interface QualityBenchOptions {
  corpus: string;
  room: string;
  modelDir: string;
  redisUrl: string;
  /** Newest messages of the room to retrain on (default 10,000). */
  messages?: number;
  /** Time budget of the retraining, as a trainer gives a /retrain (all of TRAIN_TIME_LIMIT_MS: 600 s by default). */
  trainSeconds?: number;
  /** Replies generated (default 100). */
  replies?: number;
  /** Words of a held-out message given as the prompt (default 3). */
  promptWords?: number;
  /** Copy the fine-tuned model and the retraining's summary into this folder (`--keep-model`). */
  keepModelDir?: string;
  /** Skip the retraining: use the model and summary a `keepModelDir` run kept there (`--finetuned`). */
  fineTunedDir?: string;
  log?: (line: string) => void;
}

export interface QualityBenchRoom extends RoomReplies {
  room: string;
  messages: number;
  held_out_messages: number;
  published: boolean;
  words_added: number;
  vocabulary_size: number;
  /** Held-out tokens scored (the same positions for every model). */
  tokens_scored: number;
  /** Share of scored tokens unknown to the channel vocabulary (to every model). */
  unknown_rate: number;
  /** Share of scored tokens the base model lacks (its <unk> probability shared among them). */
  base_unknown_rate: number;
  perplexity_base: number;
  perplexity_finetuned: number;
  perplexity_kn3: number;
  perplexity_kn2: number;
  /** The channel's model mixed with the KN trigram (and a cache), weights fitted on its validation split. */
  mixture: MixtureScores;
  /** The channel's LSTM on each held-out message given its preceding messages versus given nothing. */
  context: ContextScores;
  /** Wall-clock seconds of the whole fineTuneChannel call. */
  retrain_seconds: number;
}

export async function qualityBench(options: QualityBenchOptions): Promise<QualityBenchRoom> {
  const log = options.log ?? (() => undefined);
  const stored = await roomMessages(options.corpus, options.room, options.messages ?? 10_000);
  const modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-quality-'));
  const prefix = `lstm-bot-bench-quality-${randomUUID()}`;
  const channel: ChannelRef = {
    platform: 'console',
    workspace: 'bench',
    channel: options.room.replace(/[^\w-]/g, '_'),
  };
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const models: LoadedModel[] = [];
  try {
    const { summary, retrainSeconds, channelDir } = options.fineTunedDir
      ? await reuseFineTune(options.fineTunedDir)
      : await retrainRoom(options, { redis, prefix, channel, stored, modelsDir, log });
    if (options.keepModelDir && !options.fineTunedDir)
      await keepFineTuned(options.keepModelDir, channelDir, { summary, retrainSeconds });

    const base = await loadModel(options.modelDir);
    models.push(base);
    const channelModel = channelDir ? await loadModel(channelDir) : undefined;
    if (channelModel) models.push(channelModel);
    const vocab = channelModel?.vocab ?? base.vocab;

    const { train, holdout } = retrainSplit(stored, summary.heldOutMessages);
    const trainIds = await encodeCorpus(train, vocab);
    const holdoutIds = await encodeCorpus(holdout, vocab);
    log(`${options.room}: scoring ${holdout.length} held-out messages`);
    const scores = scoreHeldOut(base, channelModel, vocab, trainIds, holdoutIds);
    log(`${options.room}: scoring ${holdout.length} held-out messages with and without context`);
    const context = contextScores(channelModel ?? base, train, holdout, vocab);
    const memory = { redis, prefix, channel };
    const judged = { channel: channelModel ?? base, judge: base };
    const replies = await roomReplies(judged, { train, holdout, stored }, { ...options, memory, channelDir });
    return {
      room: options.room,
      messages: stored.length,
      held_out_messages: holdout.length,
      published: summary.published,
      words_added: summary.wordsAdded,
      vocabulary_size: vocab.size,
      tokens_scored: scores.tokens,
      unknown_rate: scores.base.unknownRate,
      base_unknown_rate: scores.base.modelUnknownRate,
      perplexity_base: scores.base.perplexity,
      perplexity_finetuned: scores.fineTuned.perplexity,
      perplexity_kn3: scores.kn3,
      perplexity_kn2: scores.kn2,
      mixture: scores.mixture,
      context,
      retrain_seconds: retrainSeconds,
      ...replies,
    };
  } finally {
    for (const model of models) disposeParams(model.params);
    redis.disconnect();
    await deletePrefixedKeys(options.redisUrl, prefix);
    await rm(modelsDir, { recursive: true, force: true });
  }
}

/** The same texts and split as the retraining (its authors' addressing read the same way). */
export function retrainSplit(
  stored: readonly StoredMessage[],
  heldOut: number,
): { train: string[]; holdout: string[] } {
  const authors = new ChannelAuthors(stored.map((message) => message.author));
  const texts = stored.map((message) => authors.rewrite(message.text));
  return { train: texts.slice(0, texts.length - heldOut), holdout: texts.slice(texts.length - heldOut) };
}

/**
 * The base and fine-tuned models (`evaluateOnVocabulary`), Kneser-Ney trigram and bigram models trained
 * on the training ids, and the channel model's mixture with its trigram, on the same held-out positions.
 */
function scoreHeldOut(
  base: LoadedModel,
  channelModel: LoadedModel | undefined,
  vocab: LoadedModel['vocab'],
  trainIds: Int32Array,
  holdoutIds: Int32Array,
) {
  const evalOptions = {
    batchSize: Math.min(32, base.card.training.batchSize),
    seqLength: base.card.training.seqLength,
  };
  const baseScore = evaluateOnVocabulary(base, holdoutIds, vocab, evalOptions);
  const fineTuned = channelModel ? evaluateOnVocabulary(channelModel, holdoutIds, vocab, evalOptions) : baseScore;
  const positions = scoredPositions(holdoutIds, evalOptions.batchSize, evalOptions.seqLength);
  const kn = (order: 2 | 3) =>
    Math.exp(new KneserNey(trainIds, vocab.size, order).crossEntropy(holdoutIds, positions).loss);
  const mixture = mixtureScores(channelModel ?? base, trainIds, holdoutIds, evalOptions);
  return { base: baseScore, fineTuned, tokens: positions.length, kn3: kn(3), kn2: kn(2), mixture };
}

interface RetrainedRoom {
  summary: TrainingSummary;
  retrainSeconds: number;
  /** The published channel model's folder (none: the fine-tune did not beat the base). */
  channelDir: string | undefined;
}

/** What a `/retrain` of the room's messages gives: `fineTuneChannel` on them, stored as a channel's history. */
async function retrainRoom(
  options: QualityBenchOptions,
  r: {
    redis: Redis;
    prefix: string;
    channel: ChannelRef;
    stored: StoredMessage[];
    modelsDir: string;
    log: (line: string) => void;
  },
): Promise<RetrainedRoom> {
  const { channel, stored, modelsDir, log } = r;
  const history = new RedisHistoryStore(r.redis, r.prefix, stored.length);
  await history.append(channel, stored);
  log(`${options.room}: retraining on ${stored.length} messages`);
  const started = performance.now();
  let lastEpoch = 0;
  const summary = await fineTuneChannel({
    history,
    modelsDir,
    baseModelDir: options.modelDir,
    channel,
    messages: stored.length,
    keepRawHistory: false,
    keepVersions: 1,
    fineTune: { timeBudgetMs: Math.round((options.trainSeconds ?? 600) * 1000) },
    onProgress: (p) => {
      if (p.stage === 'training' && p.epoch !== lastEpoch)
        log(`${options.room}: epoch ${(lastEpoch = p.epoch)}/${p.epochs}`);
    },
    onPublished: async () => undefined,
  });
  const retrainSeconds = (performance.now() - started) / 1000;
  const resolved = summary.published
    ? await new ModelResolver({ modelsDir, baseModelDir: options.modelDir }, 0).resolve(channel)
    : undefined;
  return { summary, retrainSeconds, channelDir: resolved?.dir };
}

async function reuseFineTune(dir: string): Promise<RetrainedRoom> {
  const kept = await readKeptFineTune(dir);
  return { ...kept, channelDir: kept.summary.published ? dir : undefined };
}

/** The room's messages in file order, cleaned as an import cleans them, the newest `limit` kept. */
export async function roomMessages(corpus: string, room: string, limit: number): Promise<StoredMessage[]> {
  const kept: StoredMessage[] = [];
  for await (const message of readCorpus(corpus, 'jsonl')) {
    if (message.channel !== room) continue;
    const cleaned = cleanMessage({ text: message.text, author: message.author });
    if (typeof cleaned !== 'string') kept.push(cleaned);
  }
  if (kept.length === 0) throw new Error(`${corpus} has no messages in the room ${room}`);
  return kept.slice(-limit);
}

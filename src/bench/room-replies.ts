/**
 * The quality bench's replies: the channel's model continues the first words of held-out messages at
 * the bot's default settings, one reply after another as in a channel, each avoiding the word pairs of
 * the replies before it through the worker's own memory of recent replies (`RedisRecentReplies`, on the
 * bench's Redis prefix, `RECENT_REPLIES` and `RECENT_REPLY_PENALTY` at their defaults). The replies are
 * measured (`ReplyStatsCounter`) and judged: their perplexity under the base model given their prompts
 * (`continuationPerplexity`; word salad scores high), and the same for what people wrote after the
 * same prompts. The same prompts are continued again with the channel's messages before each prompt's
 * message as context, read as a worker reads them with `/settings context on` (`recentContext`).
 */
import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import { configDefaults } from '../config/schema.js';
import { RedisRecentReplies } from '../history/recent-replies.js';
import { CONTEXT_LIMITS, recentContext } from '../history/recent-context.js';
import type { StoredMessage } from '../history/stored-message.js';
import { continuationPerplexity } from '../model/evaluation/continuation-perplexity.js';
import { cloneParams } from '../model/lstm/clone-params.js';
import { LstmTextGenerator } from '../model/sampling/lstm-text-generator.js';
import { generationDefaults, type GenerationResult } from '../model/sampling/text-generator.js';
import type { LoadedModel } from '../model/store/load-model.js';
import { readNgramMixer } from '../model/store/ngram-file.js';
import { encodePrompt } from '../model/text/encode-prompt.js';
import { tokenize } from '../model/text/tokenize.js';
import type { Vocabulary } from '../model/text/vocabulary.js';
import { ReplyStatsCounter, type ReplyStats } from './reply-stats.js';

/** The replies' perplexity under the judge (the base model), given their prompts. */
export interface ReplyJudgement {
  judge_perplexity: number;
  /** The same without the targets the judge does not know (its `<unk>` targets). */
  judge_perplexity_known: number;
  /** Share of the scored targets the judge does not know. */
  judge_unknown_rate: number;
}

export interface RoomReplies {
  replies: ReplyStats &
    ReplyJudgement & {
      temperature: number;
      max_words: number;
      min_words: number;
      prompt_words: number;
      recent_replies: number;
      recent_reply_penalty: number;
    };
  /** The replies of the LSTM alone, when the channel's model samples from its n-gram mixture. */
  replies_lstm_alone?: ReplyStats & ReplyJudgement;
  /** The replies of the mixture without its cache, when the channel's model samples with one. */
  replies_without_cache?: ReplyStats & ReplyJudgement;
  /**
   * The replies with context on: each request given the channel's messages before its prompt's message
   * (at most `context_messages` and `context_chars`, as `recentContext` reads them for a worker), when
   * the bench has the stored messages. Their copied 6-grams count those of the messages in the contexts
   * too (held-out messages the others never read).
   */
  replies_with_context?: ReplyStats & ReplyJudgement & { context_messages: number; context_chars: number };
  /** The same with the mixture without its cache, when the channel's model samples with one. */
  replies_with_context_without_cache?: ReplyStats & ReplyJudgement;
  /**
   * The same measures of what people wrote: the held-out messages the prompts were cut from, after
   * their prompt words (a yardstick for the replies' length, variety, copying and perplexity).
   */
  held_out_reference: ReplyStats & ReplyJudgement;
  /** A few replies, to read (prompt and continuation). */
  examples: { prompt: string; continuation: string }[];
}

/** Where the replies' memory lives: the bench's Redis, its prefix and the room's channel. */
export interface ReplyMemoryPlace {
  redis: Redis;
  prefix: string;
  channel: ChannelRef;
}

/** A reply to judge: its prompt, its text, and whether it ended with `<eos>` (not cut off). */
export interface Reply {
  prompt: string;
  continuation: string;
  ended: boolean;
}

export async function roomReplies(
  models: { channel: LoadedModel; judge: LoadedModel },
  texts: { train: readonly string[]; holdout: readonly string[]; stored?: readonly StoredMessage[] },
  options: { replies?: number; promptWords?: number; memory: ReplyMemoryPlace; channelDir?: string },
): Promise<RoomReplies> {
  const { channel: model, judge } = models;
  const { replies: count = 100, promptWords = 3, memory } = options;
  const indices = promptSourceIndices(texts.holdout, count, promptWords);
  const sources = indices.map((i) => words(texts.holdout[i]!));
  const prompts = sources.map((words) => words.slice(0, promptWords).join(' '));
  const counter = new ReplyStatsCounter(texts.train);
  const measure = (list: Reply[]) => ({
    ...counter.stats(list.map((reply) => reply.continuation)),
    ...judgeReplies(judge, model.vocab, list),
  });
  const replies = await channelReplies(model, prompts, memory);
  // The same prompts and seeds, each variant with a memory of its own replies.
  const variant = (mixer: LoadedModel['mixer'], name: string, contexts?: readonly string[][]) =>
    channelReplies({ ...model, mixer }, prompts, {
      ...memory,
      channel: { ...memory.channel, channel: `${memory.channel.channel}-${name}` },
      contexts,
    });
  const alone = model.mixer && (await variant(undefined, 'lstm-alone'));
  const uncached =
    model.mixer?.cache && options.channelDir && (await mixerWithoutCache(options.channelDir, model.card));
  const withoutCache = uncached && (await variant(uncached, 'without-cache'));
  const contexts = texts.stored && (await promptContexts(texts.stored, texts.train.length, indices));
  const withContext = contexts && (await variant(model.mixer, 'with-context', contexts));
  const uncachedWithContext = contexts && uncached && (await variant(uncached, 'with-context-no-cache', contexts));
  // With context a reply may also copy what it read: the held-out messages in the contexts count too.
  const read = contexts && new ReplyStatsCounter([...texts.train, ...new Set(contexts.flat())]);
  const measureRead = (list: Reply[]) => ({
    ...read!.stats(list.map((reply) => reply.continuation)),
    ...judgeReplies(judge, model.vocab, list),
  });
  const people = sources.map((words, i) => ({
    prompt: prompts[i]!,
    continuation: words.slice(promptWords).join(' '),
    ended: true,
  }));
  return {
    replies: { ...measure(replies), ...replySettings(promptWords) },
    ...(alone && { replies_lstm_alone: measure(alone) }),
    ...(withoutCache && { replies_without_cache: measure(withoutCache) }),
    ...(withContext && {
      replies_with_context: {
        ...measureRead(withContext),
        context_messages: CONTEXT_LIMITS.messages,
        context_chars: CONTEXT_LIMITS.chars,
      },
    }),
    ...(uncachedWithContext && { replies_with_context_without_cache: measureRead(uncachedWithContext) }),
    held_out_reference: measure(people),
    examples: replies.slice(0, 3).map(({ prompt, continuation }) => ({ prompt, continuation })),
  };
}

/** The settings the replies were sampled at: the bot's defaults. */
function replySettings(promptWords: number) {
  return {
    temperature: generationDefaults.temperature,
    max_words: generationDefaults.maxWords,
    min_words: generationDefaults.minWords,
    prompt_words: promptWords,
    recent_replies: configDefaults.RECENT_REPLIES,
    recent_reply_penalty: configDefaults.RECENT_REPLY_PENALTY,
  };
}

/** The model's n-gram mixture read again as a model without the cache samples it (λ alone). */
async function mixerWithoutCache(dir: string, card: LoadedModel['card']) {
  return readNgramMixer(dir, { ...card, mixture: card.mixture && { ...card.mixture, cache: undefined } });
}

/** The held-out messages the prompts are cut from, as words: `count` with more tokens than `promptWords`, spread out. */
export function promptSources(holdout: readonly string[], count: number, promptWords: number): string[][] {
  return promptSourceIndices(holdout, count, promptWords).map((i) => words(holdout[i]!));
}

/** Where `promptSources`' messages are in `holdout`. */
export function promptSourceIndices(holdout: readonly string[], count: number, promptWords: number): number[] {
  const candidates = holdout.flatMap((text, i) => (tokenize(text).length > promptWords ? [i] : []));
  const step = Math.max(1, Math.floor(candidates.length / count));
  return candidates.filter((_, k) => k % step === 0).slice(0, count);
}

function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

/**
 * Each prompt's context: the stored messages before its message (held-out message `i` is
 * `stored[firstHeldOut + i]`), as a worker reads them for a channel with context on (`recentContext`:
 * the newest few, addressing rewritten).
 */
export async function promptContexts(
  stored: readonly StoredMessage[],
  firstHeldOut: number,
  indices: readonly number[],
): Promise<string[][]> {
  return Promise.all(
    indices
      .map((i) => firstHeldOut + i)
      .map((position) =>
        recentContext(
          { recent: async (_channel, limit) => stored.slice(Math.max(0, position - limit), position) },
          { platform: 'console', workspace: 'bench', channel: 'context' },
        ),
      ),
  );
}

/**
 * Continues each prompt at the bot's default temperature, word limit and minimum (seeds 0, 1, 2, ...),
 * one after another as a worker answers one channel: each reply reads the channel's recent replies
 * and is remembered among them, as `generation-processor.ts` does; with `contexts`, prompt i reads
 * `contexts[i]` first.
 */
async function channelReplies(
  model: LoadedModel,
  prompts: readonly string[],
  place: ReplyMemoryPlace & { contexts?: readonly string[][] | undefined },
) {
  const memory = new RedisRecentReplies(place.redis, place.prefix, configDefaults.RECENT_REPLIES);
  // The generator frees the weights it is given: hand it its own copy.
  const generator = new LstmTextGenerator(
    { ...model, params: cloneParams(model.params) },
    { recentReplyPenalty: configDefaults.RECENT_REPLY_PENALTY },
  );
  const replies: Reply[] = [];
  try {
    for (const [seed, prompt] of prompts.entries()) {
      const recentReplies = await memory.recent(place.channel);
      const [result] = (await generator.generate([
        {
          prompt,
          temperature: generationDefaults.temperature,
          maxWords: generationDefaults.maxWords,
          minWords: generationDefaults.minWords,
          seed,
          recentReplies,
          ...(place.contexts?.[seed]?.length && { context: place.contexts[seed] }),
        },
      ])) as [GenerationResult];
      await memory.remember(place.channel, result.replyTokens ?? []);
      replies.push({ prompt, continuation: result.continuation, ended: result.stoppedBy === 'end-of-message' });
    }
  } finally {
    generator.dispose();
  }
  return replies;
}

/** The judge's perplexity of the replies given their prompts, written in the channel's vocabulary. */
export function judgeReplies(
  judge: Pick<LoadedModel, 'params' | 'vocab'>,
  vocab: Vocabulary,
  replies: readonly Reply[],
): ReplyJudgement {
  const scored = continuationPerplexity(
    judge,
    replies.map(({ prompt, continuation, ended }) => ({
      promptIds: encodePrompt(prompt, vocab).ids.slice(1),
      ids: tokenize(continuation).map((token) => vocab.idOf(token)),
      ended,
    })),
    vocab,
  );
  return {
    judge_perplexity: scored.perplexity,
    judge_perplexity_known: scored.perplexityKnown,
    judge_unknown_rate: scored.modelUnknownRate,
  };
}

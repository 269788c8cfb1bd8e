import { CacheWindow } from './cache-window.js';
import type { LstmBatch, LstmBatchStepper } from '../lstm/lstm-batch-stepper.js';
import { BatchCacheKeys } from './batch-cache-keys.js';
import { mulberry32 } from '../lstm/mulberry32.js';
import type { CopyGuard } from './copy-guard.js';
import { NoRepeatNgramGuard } from './no-repeat-ngram-guard.js';
import type { NgramMixer } from './ngram-mixer.js';
import type { RecentReplyNgrams } from './recent-reply-ngrams.js';
import type { ResolvedGenerationOptions } from './resolve-generation-options.js';
import { sampleFromMixture } from './sample-from-mixture.js';
import { createSamplingScratch, sampleNextToken, type SamplingScratch } from './sample-next-token.js';
import type { TokenSampling } from './sample-next-token.js';

/** One stream to continue: its prompt as token ids (at least one) and its validated options. */
export interface TokenStreamRequest {
  promptIds: readonly number[];
  options: ResolvedGenerationOptions;
  /** Ids the LSTM reads before the prompt (the channel's recent messages); the prompt alone sets the guards. */
  contextIds?: readonly number[];
  /** The n-grams of the bot's recent replies in the channel, made less likely by `recentReplyPenalty`. */
  recentReplies?: RecentReplyNgrams;
}

export interface GeneratedTokens {
  /** Generated ids, without the final `<eos>`. */
  ids: number[];
  stoppedBy: 'end-of-message' | 'word-limit';
}

export interface TokenGenerationSettings {
  /** The end-of-message token; undefined: streams end only at the word limit (benchmarks). */
  eosId?: number;
  /** Per token id, 1 when the token counts towards `maxWords` (punctuation does not). Unset: all count. */
  countsAsWord?: Uint8Array;
  /** No n-gram of this size twice in one reply (0: off). */
  noRepeatNgramSize: number;
  /** Hard cap on tokens per reply, as a multiple of `maxWords` (a reply of only punctuation still ends). */
  maxTokensPerWord: number;
  /** Draw from the LSTM mixed with this n-gram, and its cache if it has one (undefined: the LSTM alone). */
  mixer?: NgramMixer;
  /**
   * With a mixer that has a cache: the reply's own tokens join the cache as they are drawn (Grave et
   * al.'s cache, as the mixture is scored), a continuous cache's with the state that drew each; false
   * or unset: the cache holds the context and the prompt only (`LstmTextGenerator` sets it, by default
   * true: `CACHE_REPLY_TOKENS`).
   */
  cacheReplyTokens?: boolean;
  /**
   * With `cacheReplyTokens` and a continuous cache: the steps after which the batch's tensor of keys is
   * made again (default `REPLY_KEYS_REMADE_EVERY`; Infinity: never). The draws do not depend on it (up
   * to float32 rounding of the dot products); only the speed does.
   */
  replyKeysRemadeEvery?: number;
  /**
   * Refuse a token that would complete one of the channel's n-grams after the last n - 1 (written)
   * ids of prompt and reply; the draw is renormalised over the rest, and when the guard leaves
   * nothing to draw it is lifted for that token. Undefined: no copy guard.
   */
  copyGuard?: CopyGuard;
  /**
   * A token that would write an n-gram of a request's `recentReplies` again keeps this share of its
   * probability, raised to the number of recent replies that wrote it (0: never drawn; 1: off).
   */
  recentReplyPenalty?: number;
}

interface Stream {
  readonly index: number;
  readonly options: ResolvedGenerationOptions;
  readonly sampling: TokenSampling;
  readonly random: () => number;
  readonly guard: NoRepeatNgramGuard;
  readonly recentReplies: RecentReplyNgrams | undefined;
  readonly ids: number[];
  /** The n-gram's context (the last ids of prompt and reply) when sampling from a mixture. */
  context: number[];
  /** Prompt and reply ids as the copy guard reads them (written out), when there is a guard. */
  readonly recent: number[];
  /** The ids the mixture's cache holds (the context, the prompt, the reply), when the mixer has a cache. */
  readonly cache: CacheWindow | undefined;
  /**
   * The mixture it draws from: the settings' mixer, or that mixer without its cache for a stream whose
   * continuous cache holds too little of the channel (`MIN_CONTINUOUS_CACHE_IDS`).
   */
  readonly mixer: NgramMixer | undefined;
  /** The last ids of prompt and reply, for `recentReplies`. */
  readonly tail: number[];
  words: number;
  stoppedBy?: GeneratedTokens['stoppedBy'];
}

/**
 * Continues every stream of one batch together: the prompts (each after its context, if any) are primed once, then each step feeds
 * the last token of every live stream through the LSTM at once and samples each stream's next token
 * with its own seeded generator. A stream stops at `<eos>` (never before its first word nor its `minWords` words: a reply is
 * never empty nor only punctuation), at `maxWords` words or at the token cap; finished streams leave
 * the batch.
 * A stream's result depends only on its own prompt, options and seed, up to float32 rounding: matmul
 * kernels sum in a different order for different batch sizes (probabilities agree to about 1e-7), so
 * a draw landing that close to a boundary between two tokens can, rarely, differ between a batched
 * and a single run (measured at the reference sizes: 1 of 16 streams, after 36 tokens).
 * Yields to the event loop between steps now and then so a long batch does not starve timers.
 */
export async function generateTokenIds(
  stepper: LstmBatchStepper,
  requests: readonly TokenStreamRequest[],
  settings: TokenGenerationSettings,
): Promise<GeneratedTokens[]> {
  if (requests.length === 0) return [];
  const vocabSize = stepper.vocabSize;
  const scratch: DrawScratch = {
    ...createSamplingScratch(vocabSize),
    row: settings.copyGuard ? new Float32Array(vocabSize) : undefined,
    penaltyRow: new Float32Array(vocabSize),
    endRow: new Float32Array(vocabSize),
  };
  const theta = settings.mixer?.cache?.theta ?? 0;
  const remakeEvery = remakeInterval(settings);
  const read = requests.map(({ promptIds, contextIds }) =>
    contextIds?.length ? [...contextIds, ...promptIds] : promptIds,
  );
  // Which streams draw from a continuous cache; when none does (a channel with context off), no state
  // is kept as a key and no cache is weighed.
  const weighed = read.map((ids) => theta > 0 && ids.length >= MIN_CONTINUOUS_CACHE_IDS);
  const keyWidth = weighed.includes(true) ? stepper.hiddenWidth : 0;
  const streams = requests.map((request, index) => openStream(request, index, settings, { keyWidth, weighed }));
  const started = stepper.start(
    read,
    // With a mixer the temperature applies to the whole mixture (`sampleFromMixture`): the LSTM's row at 1.
    requests.map((request) => (settings.mixer ? 1 : request.options.temperature)),
    { hidden: keyWidth > 0 },
  );
  const { batch } = started;
  let probs = started.probs;
  let keys: BatchCacheKeys | undefined;
  let live = streams;
  try {
    // A continuous cache keeps each id it reads with the hidden state that predicted it.
    started.hidden?.forEach((keyRows, row) =>
      read[row]!.forEach((id, k) => streams[row]!.cache!.push(id, keyRows.subarray(k * keyWidth, (k + 1) * keyWidth))),
    );
    // The keys read so far as one tensor: one native product weighs them all each step.
    if (keyWidth > 0) keys = batchKeys(streams);
    for (let step = 0; ; step++) {
      const next: number[] = [];
      const kept: number[] = [];
      const queries = keys && weighCaches(live, stepper, batch, { theta, keys, replyKeys: settings.cacheReplyTokens });
      live.forEach((stream, row) => {
        const query = queries?.subarray(row * keyWidth, (row + 1) * keyWidth);
        const token = nextToken(stream, probs, row * vocabSize, vocabSize, settings, scratch, query);
        if (token === undefined) return;
        next.push(token);
        kept.push(row);
      });
      if (kept.length === 0) break;
      stepper.keepRows(batch, kept);
      live = kept.map((row) => live[row]!);
      const remake = settings.cacheReplyTokens === true && step % remakeEvery === remakeEvery - 1;
      if (keys) keys = keysAfterStep(keys, kept, live, remake);
      probs = stepper.step(batch, next);
      if (step % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    stepper.release(batch);
    keys?.dispose();
  }
  return streams.map((stream) => ({ ids: stream.ids, stoppedBy: stream.stoppedBy ?? 'end-of-message' }));
}

/** The streams' continuous caches as one tensor of keys; each cache weighs the ids it gets after this itself. */
function batchKeys(streams: readonly Stream[]): BatchCacheKeys {
  const keys = new BatchCacheKeys(streams.map((stream) => stream.cache!));
  for (const stream of streams) stream.cache!.markKeys();
  return keys;
}

/** The settings' `replyKeysRemadeEvery`: a positive integer, or Infinity (never). */
function remakeInterval(settings: TokenGenerationSettings): number {
  const every = settings.replyKeysRemadeEvery ?? REPLY_KEYS_REMADE_EVERY;
  if (!(every === Infinity || (Number.isInteger(every) && every > 0)))
    throw new RangeError(`replyKeysRemadeEvery must be a positive integer or Infinity, got ${every}`);
  return every;
}

/** `keys` for the rows `kept` (now `live`), made again from their caches when `remake`. */
function keysAfterStep(keys: BatchCacheKeys, kept: readonly number[], live: readonly Stream[], remake: boolean) {
  if (!remake) {
    keys.keepRows(kept);
    return keys;
  }
  keys.dispose();
  return batchKeys(live);
}

/**
 * Steps after which a batch's keys are made again when the reply's tokens join its caches: the keys of
 * the ids a cache got since are weighed in JavaScript, one pass of 260 values per key and stream each
 * step, so they are folded into the tensor now and then (a new tensor costs about as much as a few
 * dozen such passes).
 */
const REPLY_KEYS_REMADE_EVERY = 32;

/**
 * Weighs each live stream's continuous cache by the state that predicts its next token: the keys in
 * `keys` by its product, those of the reply's tokens since (`replyKeys`: they join the caches) in
 * JavaScript, fewer than `replyKeysRemadeEvery` per stream. Returns the states ([rows * width]) in the
 * second case: the keys of the tokens drawn now.
 */
function weighCaches(
  live: readonly Stream[],
  stepper: LstmBatchStepper,
  batch: LstmBatch,
  caches: { theta: number; keys: BatchCacheKeys; replyKeys: boolean | undefined },
): Float32Array | undefined {
  const { theta, keys, replyKeys } = caches;
  const dots = keys.dots(stepper.topHiddenTensor(batch));
  const queries = replyKeys ? stepper.topHidden(batch) : undefined;
  const width = stepper.hiddenWidth;
  live.forEach((stream, row) => {
    // A stream whose mixture has no cache (too little context) keeps one only beside the others'.
    if (!stream.mixer?.cache) return;
    stream.cache!.weighDots(
      dots.subarray(row * keys.window, (row + 1) * keys.window),
      theta,
      queries?.subarray(row * width, (row + 1) * width),
    );
  });
  return queries;
}

/**
 * The fewest ids (context and prompt) a continuous cache must hold for a stream to draw from it; with
 * fewer (a channel with context off: the prompt alone) the stream draws from the mixture without the
 * cache. Its weights are fitted on a window full of the channel's text. Scored as the bot samples
 * (`scripts/cache-as-sampled.mjs --context-tokens N`), HelpBasejumps, the mixture with the cache
 * against without it: with the reply's tokens kept out of the cache, 63.1 / 58.1 given the prompt alone,
 * 56.4 / 54.8 after 32 tokens of context, 55.9 / 55.8 after 64, 54.1 / 54.9 after 128 (after 64 tokens
 * HelpContributors 59.0 / 59.7 and CampCounselors 74.7 / 96.0); with them in (the default since), 59.0 /
 * 58.1 given the prompt alone, 54.5 / 55.2 after 16, 53.3 / 54.8 after 32, 53.1 / 55.8 after 64. Given
 * the prompt alone, the reply's tokens in the cache also made replies repeat their own word pairs (76
 * times in 100 replies against 46). Shorter contexts than 64 might now gain; their replies were not
 * measured.
 */
export const MIN_CONTINUOUS_CACHE_IDS = 64;

/**
 * A request's stream before its first draw. Its cache, when the mixer has one: a unigram cache holds
 * the context and prompt ids now; a continuous one (`keyWidth` above 0) gets them with their keys once
 * the LSTM has read them (a stream of the batch that does not draw from it keeps one too, its rows
 * beside the others'); with no stream of the batch drawing from its continuous cache, none.
 */
function openStream(
  { promptIds, contextIds, options, recentReplies }: TokenStreamRequest,
  index: number,
  settings: TokenGenerationSettings,
  caches: { keyWidth: number; weighed: readonly boolean[] },
): Stream {
  const { keyWidth, weighed } = caches;
  const cacheShape = settings.mixer?.cache;
  const continuous = (cacheShape?.theta ?? 0) > 0;
  const read = keyWidth > 0 ? [] : [...(contextIds ?? []), ...promptIds];
  return {
    index,
    recentReplies,
    options,
    sampling: { greedy: options.temperature === 0, topK: options.topK, topP: options.topP },
    random: mulberry32(options.seed),
    guard: new NoRepeatNgramGuard(settings.noRepeatNgramSize, promptIds),
    ids: [],
    context: settings.mixer?.contextOf(promptIds) ?? [],
    recent: settings.copyGuard?.start(promptIds) ?? [],
    cache: cacheShape && (!continuous || keyWidth > 0) ? new CacheWindow(cacheShape.window, read, keyWidth) : undefined,
    mixer: continuous && !weighed[index] ? settings.mixer!.withoutCache() : settings.mixer,
    tail: promptIds.slice(-TAIL),
    words: 0,
  };
}

/**
 * Samples `stream`'s next token from its row of `probs` (from `offset`) and adds it; undefined when the
 * stream stops there (`stoppedBy` set): at `<eos>`, or at its word or token cap.
 */
function nextToken(
  stream: Stream,
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  settings: TokenGenerationSettings,
  scratch: DrawScratch,
  /** A continuous cache's key for the token drawn: the hidden state that predicted it. */
  key?: Float32Array,
): number | undefined {
  const { eosId, countsAsWord, maxTokensPerWord, mixer, copyGuard } = settings;
  const row: StepRow = { probs, offset, vocabSize, settings, scratch };
  const guardBans = stream.guard.banned();
  // `<eos>` gets no probability before the stream's first word, nor before its `minWords` words.
  const token =
    eosId === undefined
      ? drawPenalised(stream, row, guardBans)
      : stream.words < Math.max(1, stream.options.minWords)
        ? drawPenalised(stream, row, [...guardBans, eosId])
        : drawEndOrWord(stream, row, guardBans, eosId);
  if (token < 0 || token === eosId) {
    stream.stoppedBy = 'end-of-message';
    return undefined;
  }
  stream.ids.push(token);
  stream.guard.push(token);
  copyGuard?.push(stream.recent, token);
  if (mixer) stream.context = [...stream.context.slice(1), token];
  if (settings.cacheReplyTokens) stream.cache?.push(token, key);
  stream.tail.push(token);
  if (stream.tail.length > TAIL) stream.tail.shift();
  if (countsAsWord === undefined || countsAsWord[token] === 1) stream.words++;
  const maxWords = stream.options.maxWords;
  if (stream.words >= maxWords || stream.ids.length >= maxWords * maxTokensPerWord) {
    stream.stoppedBy = 'word-limit';
    return undefined;
  }
  return token;
}

/** The last ids of prompt and reply a stream keeps for `recentReplies` (its n - 1 at most). */
const TAIL = 8;
/** Draws a penalised token may take before the penalised tokens are left out altogether. */
const MAX_PENALTY_DRAWS = 16;

/** The sampler's buffers, and copies of a row for a draw that may be taken again (the copy guard's, the penalty's, the end's). */
interface DrawScratch extends SamplingScratch {
  readonly row: Float32Array | undefined;
  readonly penaltyRow: Float32Array;
  readonly endRow: Float32Array;
}

/** The row a stream draws its next token from, with what every draw of it needs. */
interface StepRow {
  readonly probs: Float32Array;
  readonly offset: number;
  readonly vocabSize: number;
  readonly settings: TokenGenerationSettings;
  readonly scratch: DrawScratch;
}

/**
 * A draw where the reply may end. Whether it ends is the model's own call: one draw from the stream's
 * distribution with nothing refused, which ends the reply when it gives `<eos>`. Otherwise the next word
 * is drawn as the no-repeat guard, the copy guard and the recent replies' penalty allow, `<eos>` left out:
 * the first draw's word itself when they would keep it, so that either way a word comes in proportion to
 * its probability times what they keep of it (rejection sampling, exact for a plain draw; a top-k or
 * top-p draw cuts the row again after the refusals, and the penalty's fallback after `MAX_PENALTY_DRAWS`
 * leaves its repeats out). So the guards and the penalty choose among words, and what they refuse goes
 * to the other words, not to the end of the message: they never cut a reply shorter.
 */
function drawEndOrWord(stream: Stream, row: StepRow, guardBans: readonly number[], eosId: number): number {
  const { probs, offset, vocabSize, scratch } = row;
  // A draw from the mixture may write over the row (a greedy, top-k or top-p one): keep it for the next.
  scratch.endRow.set(probs.subarray(offset, offset + vocabSize));
  const first = drawToken(stream, row, []);
  if (first < 0 || first === eosId || keepsAsDrawn(stream, row.settings, guardBans, first)) return first;
  probs.set(scratch.endRow, offset);
  return drawPenalised(stream, row, [...guardBans, eosId]);
}

/** Whether the guards keep `token`, and the penalty too (with the chance it keeps a repeat with). */
function keepsAsDrawn(
  stream: Stream,
  settings: TokenGenerationSettings,
  guardBans: readonly number[],
  token: number,
): boolean {
  if (guardBans.includes(token) || settings.copyGuard?.refused(stream.recent).includes(token)) return false;
  const penalised = penalisedRepeats(stream, settings);
  return !penalised || penaltyKeeps(stream, penalised, token);
}

/** The penalty and the tokens that would write a recent reply's n-gram again after the stream's tail (undefined: none, or no penalty). */
function penalisedRepeats(
  stream: Stream,
  settings: TokenGenerationSettings,
): { penalty: number; repeats: ReadonlyMap<number, number> } | undefined {
  const penalty = settings.recentReplyPenalty ?? 1;
  const repeats = penalty < 1 ? stream.recentReplies?.after(stream.tail) : undefined;
  return repeats && repeats.size > 0 ? { penalty, repeats } : undefined;
}

/** Whether the penalty keeps `token`: always when it repeats nothing, else with probability `penalty ** count`. */
function penaltyKeeps(
  stream: Stream,
  { penalty, repeats }: { penalty: number; repeats: ReadonlyMap<number, number> },
  token: number,
): boolean {
  const count = repeats.get(token);
  return count === undefined || stream.random() < penalty ** count;
}

/**
 * A draw with the recent replies' n-grams made less likely: a token that repeats one is kept with
 * probability `penalty ** count` and otherwise drawn again from the same row (rejection sampling,
 * exactly the penalised distribution); a penalty of 0 leaves them out. After `MAX_PENALTY_DRAWS`
 * rejections they are left out; when that leaves nothing to draw, they are drawn as they come.
 * `<eos>`, when the stream has one, is among `banned`: whether the reply ends is `drawEndOrWord`'s.
 */
function drawPenalised(stream: Stream, row: StepRow, banned: readonly number[]): number {
  const { probs, offset, vocabSize, settings, scratch } = row;
  const penalised = penalisedRepeats(stream, settings);
  if (!penalised) return drawGuarded(stream, row, banned);
  const kept = scratch.penaltyRow;
  kept.set(probs.subarray(offset, offset + vocabSize));
  const again = (bans: readonly number[]) => {
    probs.set(kept, offset);
    return drawGuarded(stream, row, bans);
  };
  for (let attempt = 0; penalised.penalty > 0 && attempt < MAX_PENALTY_DRAWS; attempt++) {
    const token = again(banned);
    if (penaltyKeeps(stream, penalised, token)) return token;
  }
  const token = again([...banned, ...penalised.repeats.keys()]);
  return token >= 0 ? token : again(banned);
}

/**
 * One draw with the copy guard's refusals taken out too; when they leave nothing to draw, the draw is
 * taken again without them.
 */
function drawGuarded(stream: Stream, row: StepRow, banned: readonly number[]): number {
  const { probs, offset, vocabSize, settings, scratch } = row;
  const refused = settings.copyGuard ? settings.copyGuard.refused(stream.recent) : [];
  if (refused.length === 0) return drawToken(stream, row, banned);
  // The draw writes over the row: keep it, to draw again without the guard if it refused everything left.
  scratch.row!.set(probs.subarray(offset, offset + vocabSize));
  const token = drawToken(stream, row, [...banned, ...refused]);
  if (token >= 0) return token;
  probs.set(scratch.row!, offset);
  return drawToken(stream, row, banned);
}

/** One draw from `stream`'s row, from the mixture when there is a mixer, with `banned` tokens taken out. */
function drawToken(stream: Stream, row: StepRow, banned: readonly number[]): number {
  const { probs, offset, vocabSize, scratch } = row;
  const { sampling, random, context, cache, mixer } = stream;
  const temperature = stream.options.temperature;
  return mixer
    ? sampleFromMixture(mixer, probs, offset, context, {
        sampling,
        temperature,
        banned,
        random,
        scratch,
        cache,
      })
    : sampleNextToken(probs, offset, vocabSize, sampling, banned, random, scratch);
}

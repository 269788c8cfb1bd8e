import { CacheWindow } from './cache-window.js';
import type { LstmBatchStepper } from '../lstm/lstm-batch-stepper.js';
import { mulberry32 } from '../lstm/mulberry32.js';
import type { CopyGuard } from './copy-guard.js';
import { NoRepeatNgramGuard } from './no-repeat-ngram-guard.js';
import type { NgramMixer } from './ngram-mixer.js';
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
   * al.'s cache, as the mixture is scored); false or unset: the cache holds the context and the prompt
   * only (`LstmTextGenerator` sets it, by default true).
   */
  cacheReplyTokens?: boolean;
  /**
   * Refuse a token that would complete one of the channel's n-grams after the last n - 1 (written)
   * ids of prompt and reply; the draw is renormalised over the rest, and when the guard leaves
   * nothing to draw it is lifted for that token. Undefined: no copy guard.
   */
  copyGuard?: CopyGuard;
}

interface Stream {
  readonly index: number;
  readonly options: ResolvedGenerationOptions;
  readonly sampling: TokenSampling;
  readonly random: () => number;
  readonly guard: NoRepeatNgramGuard;
  readonly ids: number[];
  /** The n-gram's context (the last ids of prompt and reply) when sampling from a mixture. */
  context: number[];
  /** Prompt and reply ids as the copy guard reads them (written out), when there is a guard. */
  readonly recent: number[];
  /** The ids the mixture's cache holds (the context, the prompt, the reply), when the mixer has a cache. */
  readonly cache: CacheWindow | undefined;
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
  };
  const cacheWindow = settings.mixer?.cache?.window;
  const streams: Stream[] = requests.map(({ promptIds, contextIds, options }, index) => ({
    index,
    options,
    sampling: { greedy: options.temperature === 0, topK: options.topK, topP: options.topP },
    random: mulberry32(options.seed),
    guard: new NoRepeatNgramGuard(settings.noRepeatNgramSize, promptIds),
    ids: [],
    context: settings.mixer?.contextOf(promptIds) ?? [],
    recent: settings.copyGuard?.start(promptIds) ?? [],
    cache: cacheWindow === undefined ? undefined : new CacheWindow(cacheWindow, [...(contextIds ?? []), ...promptIds]),
    words: 0,
  }));
  const started = stepper.start(
    requests.map(({ promptIds, contextIds }) => (contextIds?.length ? [...contextIds, ...promptIds] : promptIds)),
    requests.map((request) => request.options.temperature),
  );
  const { batch } = started;
  let probs = started.probs;
  let live = streams;
  try {
    for (let step = 0; ; step++) {
      const next: number[] = [];
      const kept: number[] = [];
      live.forEach((stream, row) => {
        const token = nextToken(stream, probs, row * vocabSize, vocabSize, settings, scratch);
        if (token === undefined) return;
        next.push(token);
        kept.push(row);
      });
      if (kept.length === 0) break;
      stepper.keepRows(batch, kept);
      live = kept.map((row) => live[row]!);
      probs = stepper.step(batch, next);
      if (step % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    stepper.release(batch);
  }
  return streams.map((stream) => ({ ids: stream.ids, stoppedBy: stream.stoppedBy ?? 'end-of-message' }));
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
): number | undefined {
  const { eosId, countsAsWord, maxTokensPerWord, mixer, copyGuard } = settings;
  // `<eos>` gets no probability before the stream's first word, nor before its `minWords` words.
  const banned =
    stream.words < Math.max(1, stream.options.minWords) && eosId !== undefined
      ? [...stream.guard.banned(), eosId]
      : stream.guard.banned();
  const refused = copyGuard ? copyGuard.refused(stream.recent) : [];
  const draw = (bans: readonly number[]) => drawToken(stream, probs, offset, vocabSize, mixer, bans, scratch);
  let token: number;
  if (refused.length === 0) token = draw(banned);
  else {
    // The draw writes over the row: keep it, to draw again without the guard if it refused everything left.
    scratch.row!.set(probs.subarray(offset, offset + vocabSize));
    token = draw([...banned, ...refused]);
    if (token < 0) {
      probs.set(scratch.row!, offset);
      token = draw(banned);
    }
  }
  if (token < 0 || token === eosId) {
    stream.stoppedBy = 'end-of-message';
    return undefined;
  }
  stream.ids.push(token);
  stream.guard.push(token);
  copyGuard?.push(stream.recent, token);
  if (mixer) stream.context = [...stream.context.slice(1), token];
  if (settings.cacheReplyTokens) stream.cache?.push(token);
  if (countsAsWord === undefined || countsAsWord[token] === 1) stream.words++;
  const maxWords = stream.options.maxWords;
  if (stream.words >= maxWords || stream.ids.length >= maxWords * maxTokensPerWord) {
    stream.stoppedBy = 'word-limit';
    return undefined;
  }
  return token;
}

/** The sampler's buffers, and a copy of a row for a draw that may be taken again (the copy guard's). */
interface DrawScratch extends SamplingScratch {
  readonly row: Float32Array | undefined;
}

/** One draw from `stream`'s row, from the mixture when there is a mixer, with `banned` tokens taken out. */
function drawToken(
  stream: Stream,
  probs: Float32Array,
  offset: number,
  vocabSize: number,
  mixer: NgramMixer | undefined,
  banned: readonly number[],
  scratch: SamplingScratch,
): number {
  const { sampling, random, context, cache } = stream;
  return mixer
    ? sampleFromMixture(mixer, probs, offset, context, { sampling, banned, random, scratch, cache })
    : sampleNextToken(probs, offset, vocabSize, sampling, banned, random, scratch);
}

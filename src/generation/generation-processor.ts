import { UnrecoverableError, type Job } from 'bullmq';
import { channelKey, type ChannelRef } from '../commands/channel-ref.js';
import type { ReplyAddress } from '../commands/reply-address.js';
import { errorCodeOf, isCodedError } from '../errors/coded-error.js';
import type { GenerationResult, TextGenerator } from '../model/sampling/text-generator.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { generateJobSchema, type GenerateJobData } from '../queue/generate-job.js';
import { replyAddressSchema } from '../queue/reply-address-schema.js';
import type { ReplyJobData } from '../queue/reply-job.js';
import { replyTextFor } from '../replies/error-to-reply.js';
import { unknownWordsNote } from './unknown-words-note.js';
import { renderReply } from '../replies/reply-catalogue.js';
import type { Lease, ModelCache } from './model-cache.js';
import type { ResolvedModel } from '../model/store/model-resolver.js';
import { noModelError } from './no-model-error.js';
import { RequestBatcher, type BatcherOptions } from './request-batcher.js';
import { withTimeLimit } from './time-limit.js';

/** A model in the worker's cache, with the batcher that feeds it. */
export interface LoadedModel {
  generator: TextGenerator;
  batcher: RequestBatcher;
  version: string;
}

export interface GenerationProcessorDeps {
  /** `invalidate` (by channel key) lets a model folder that vanished be resolved afresh. */
  resolver: { resolve(channel: ChannelRef): Promise<ResolvedModel | undefined>; invalidate?(key: string): void };
  cache: ModelCache<LoadedModel>;
  loadGenerator: (dir: string) => Promise<TextGenerator>;
  outbox: { post(data: ReplyJobData): Promise<boolean>; has(address: ReplyAddress, jobId: string): Promise<boolean> };
  batch: BatcherOptions;
  timeoutMs: number;
  /** Named in the error when not even the base model is there. */
  baseModelDir: string;
  logger: Logger;
  metrics?: Metrics;
  /** The channel's recent stored messages, oldest first, for a job whose channel has `context` on. */
  /** The channel's recent messages before `prompt` (without the prompt's own message, where stored). */
  recentContext?: (channel: ChannelRef, prompt: string) => Promise<string[]>;
  /** The bot's recent replies in a channel, which a new reply avoids repeating (`RECENT_REPLIES`; none: off). */
  recentReplies?: ReplyMemory;
}

/** What the worker needs of the recent replies' store (`RedisRecentReplies`). */
export interface ReplyMemory {
  recent(channel: ChannelRef): Promise<string[][]>;
  remember(channel: ChannelRef, tokens: readonly string[]): Promise<void>;
}

export interface GenerateJobResult {
  outcome: 'answered' | 'duplicate';
  modelVersion?: string;
  tokens?: number;
}

/**
 * The `generate` job processor: validate, pick the channel's model, generate in a shared batch, and
 * put the answer in the reply outbox (at most one reply per request). On the last attempt, or for input
 * that can never succeed, it posts an apology before failing, so the user is never left in silence.
 */
export function createGenerationProcessor(deps: GenerationProcessorDeps) {
  const loadedAt = new Map<string, string>();
  /** A new version at a model's place evicts the one it replaces (disposed once its batch is done). */
  const supersede = (model: ResolvedModel) => {
    const previous = loadedAt.get(model.location);
    if (previous !== undefined && previous !== model.key) deps.cache.evict(previous);
    loadedAt.set(model.location, model.key);
  };
  return async function processGenerateJob(job: Job): Promise<GenerateJobResult> {
    const jobId = job.id ?? '';
    const parsed = generateJobSchema.safeParse(job.data);
    if (!parsed.success) {
      await apologise(deps, job, new UnrecoverableError('invalid job data'));
      throw new UnrecoverableError(`invalid generate job data: ${parsed.error.message}`);
    }
    const data = parsed.data;
    const log = deps.logger.child({ jobId, platform: data.channel.platform, channel: channelKey(data.channel) });

    try {
      if (await deps.outbox.has(data.replyTo, jobId)) {
        log.info('already answered (a previous attempt finished): nothing to do');
        deps.metrics?.jobs.inc({ outcome: 'duplicate' });
        return { outcome: 'duplicate' };
      }
      const { result, version } = await generate(deps, data, supersede);
      // Before the answer is posted, so that the channel's next request already avoids it.
      await rememberReply(deps, data.channel, result, log);
      const answer = result.continuation
        ? renderReply('continue.answer', { prompt: result.prompt, continuation: result.continuation })
        : renderReply('continue.nothingToAdd', { prompt: result.prompt });
      const note = unknownWordsNote(result, data.via);
      const text = note ? `${answer}\n${note}` : answer;
      const posted = await deps.outbox.post({
        v: 1,
        generateJobId: jobId,
        address: data.replyTo,
        reply: { text, visibility: 'public' },
        outcome: 'answer',
        requestedAt: data.requestedAt,
      });
      deps.metrics?.jobs.inc({ outcome: posted ? 'answered' : 'duplicate' });
      deps.metrics?.latency.observe((Date.now() - data.requestedAt) / 1000);
      const unknownWords = result.unknownWords?.length ?? 0;
      log.info(
        { modelVersion: version, tokens: result.tokens, unknownWords },
        posted ? 'answered' : 'already answered',
      );
      return { outcome: posted ? 'answered' : 'duplicate', modelVersion: version, tokens: result.tokens };
    } catch (error) {
      const code = errorCodeOf(error, 'GENERATE_FAILED');
      deps.metrics?.errors.inc({ code });
      const final = isFinalAttempt(job, error);
      log[final ? 'error' : 'warn']({ err: error, code, attempt: job.attemptsMade + 1 }, 'generation failed');
      if (final) await apologise(deps, job, error);
      if (isHopeless(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  };
}

async function generate(
  deps: GenerationProcessorDeps,
  data: GenerateJobData,
  supersede: (model: ResolvedModel) => void,
): Promise<{ result: GenerationResult; version: string }> {
  const { model, lease } = await acquireModel(deps, data.channel, supersede);
  try {
    const started = performance.now();
    const context =
      data.context && deps.recentContext ? await deps.recentContext(data.channel, data.prompt) : undefined;
    const recentReplies = await deps.recentReplies?.recent(data.channel);
    const request = {
      prompt: data.prompt,
      ...data.options,
      ...(context?.length && { context }),
      ...(recentReplies?.length && { recentReplies }),
    };
    const result = await withTimeLimit(lease.value.batcher.submit(request), deps.timeoutMs);
    deps.metrics?.generationSeconds.observe({ model: model.scope }, (performance.now() - started) / 1000);
    deps.metrics?.generatedTokens.inc({ model: model.scope }, result.tokens);
    return { result, version: lease.value.version };
  } finally {
    lease.release();
  }
}

/**
 * The channel's model, from the worker's cache or loaded. A version that vanished between its resolution
 * and its loading (a `/retrain rollback` or `/forget channel` removed it, or publishing pruned it) is
 * resolved once more, afresh, rather than failing this attempt with a warning and a retry.
 */
async function acquireModel(
  deps: GenerationProcessorDeps,
  channel: ChannelRef,
  supersede: (model: ResolvedModel) => void,
): Promise<{ model: ResolvedModel; lease: Lease<LoadedModel> }> {
  for (let tries = 1; ; tries++) {
    const model = await deps.resolver.resolve(channel);
    if (!model) throw noModelError(deps.baseModelDir);
    supersede(model);
    try {
      const lease = await deps.cache.acquire(model.key, async () => {
        const generator = await deps.loadGenerator(model.dir);
        const batcher = new RequestBatcher(generator, deps.batch, (size) => deps.metrics?.batchSize.observe(size));
        return { generator, batcher, version: `${model.scope} ${model.version}` };
      });
      return { model, lease };
    } catch (error) {
      if (tries > 1 || !deps.resolver.invalidate || !isCodedError(error, 'MODEL_NOT_FOUND')) throw error;
      deps.resolver.invalidate(channelKey(channel));
    }
  }
}

/**
 * Remembers a reply among the channel's recent replies. Best effort: a reply missing from the memory
 * only makes the next ones a little less varied, so a failure is logged, never retried.
 */
async function rememberReply(
  deps: GenerationProcessorDeps,
  channel: ChannelRef,
  result: GenerationResult,
  log: Logger,
): Promise<void> {
  if (!deps.recentReplies || !result.replyTokens?.length) return;
  try {
    await deps.recentReplies.remember(channel, result.replyTokens);
  } catch (error) {
    log.warn({ err: error }, 'could not remember the reply among the recent replies');
  }
}

/** An error whose code says retrying cannot help (bad options, no model installed) fails the same way every time. */
function isHopeless(error: unknown): boolean {
  return isCodedError(error) && !error.retryable;
}

function isFinalAttempt(job: Job, error: unknown): boolean {
  if (error instanceof UnrecoverableError || isHopeless(error)) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Posts the apology for `job` (at most one reply per request); logs and swallows its own failure. */
export async function apologise(
  deps: Pick<GenerationProcessorDeps, 'outbox' | 'logger' | 'metrics'>,
  job: Pick<Job, 'id' | 'data' | 'timestamp'>,
  error: unknown,
): Promise<'posted' | 'already-answered' | 'no-address' | 'error'> {
  const address = replyAddressSchema.safeParse((job.data as { replyTo?: unknown })?.replyTo);
  if (!address.success || !job.id) return 'no-address';
  const text = replyTextFor(error, 'continue.failed');
  try {
    const posted = await deps.outbox.post({
      v: 1,
      generateJobId: job.id,
      address: address.data,
      reply: { text, visibility: 'private' },
      outcome: 'apology',
      requestedAt: Number((job.data as { requestedAt?: unknown }).requestedAt ?? job.timestamp) || job.timestamp,
    });
    if (posted) deps.metrics?.jobs.inc({ outcome: 'apology' });
    return posted ? 'posted' : 'already-answered';
  } catch (postError) {
    deps.logger.error({ err: postError, jobId: job.id }, 'could not queue the apology; the failure sweep will retry');
    return 'error';
  }
}

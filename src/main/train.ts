/**
 * `lstm-bot train`: corpus file -> vocabulary and id stream -> trained LSTM -> model folder with card.
 * Progress goes to stderr, one line per event.
 */
import { basename } from 'node:path';
import { checkTrainOutput } from './check-train-output.js';
import type { ProgressReporter } from './progress-reporter.js';
import { corpusFormatOf } from '../model/corpus/corpus-format-of.js';
import { corpusLicenses } from '../model/corpus/corpus-licenses.js';
import { initParams } from '../model/lstm/init-params.js';
import { disposeParams, type LstmParams } from '../model/lstm/lstm-params.js';
import { tieParams } from '../model/lstm/tied-output.js';
import type { ModelCard } from '../model/store/model-card.js';
import { prepareCorpora, type PreparedCorpora } from '../model/corpus/prepare-corpora.js';
import { evaluateOnVocabulary } from '../model/evaluation/evaluate-on-vocabulary.js';
import { growVocabulary } from '../model/training/grow-vocabulary.js';
import { widenHidden } from '../model/training/widen-hidden.js';
import { loadModel, type LoadedModel } from '../model/store/load-model.js';
import type { CorpusFormat } from '../model/corpus/read-corpus.js';
import { saveModel } from '../model/store/save-model.js';
import { tfLoad } from '../model/lstm/tf.js';
import type { TrainEvent, ValidationEvent } from '../model/training/train-events.js';
import type { OutputPrecision } from '../model/lstm/output-precision.js';
import { trainDefaults, trainModel, type BestSoFar } from '../model/training/train-model.js';
import { CodedError } from '../errors/coded-error.js';

export interface TrainCommandOptions {
  /** One corpus file or several, read in this order (each with its own validation tail). */
  corpus: string | string[];
  /** Format of every corpus (default: each from its file name). */
  format?: CorpusFormat;
  /** Channels of JSON Lines corpora left out. */
  excludeChannels?: string[];
  /** Times each corpus's training part is read per pass, in `corpus` order (default 1 each). */
  repeat?: number[];
  /**
   * Continue training this model folder: its vocabulary, grown by the corpora's frequent new words up
   * to `vocab`, and its weights; `embedding`, `hidden` (unless `widen`) and `layers` come from it.
   */
  from?: string;
  out: string;
  vocab: number;
  embedding: number;
  hidden: number;
  layers: number;
  seq: number;
  batch: number;
  epochs: number;
  minutes?: number;
  seed: number;
  float16?: boolean;
  learningRate: number;
  /** Average the weights from this share of the run on (`TrainOptions.averageFrom`); undefined: none. */
  averageFrom?: number;
  /** Variational dropout [input, output] (`TrainOptions.dropout`, each in [0, 0.9]); undefined: none. */
  dropout?: number[];
  validateEvery: number;
  validationSplit: number;
  resetState?: boolean;
  /** The output layer's precision in training (default: `defaultTrainPrecision()`). */
  precision?: OutputPrecision;
  /** Save the model folder at every validation improvement, not only at the end. */
  checkpoints?: boolean;
  /** Replace `out` even when it holds more than a model's files. */
  force?: boolean;
  /**
   * Tie the output layer to the embedding (`tied-output.ts`). A `from` model that is not tied is
   * tied first: its LSTM and embedding kept, its output layer fitted as well as P E^T can.
   */
  tieEmbeddings?: boolean;
  /**
   * With `from`: its LSTM layers widened to this many units (`widenHidden`: the new units start silent,
   * so training starts from exactly what `from` computes).
   */
  widen?: number;
}

export const trainCommandDefaults = {
  vocab: 8000,
  embedding: 128,
  hidden: 256,
  layers: 1,
  seq: trainDefaults.seqLength,
  batch: trainDefaults.batchSize,
  epochs: trainDefaults.epochs,
  seed: 1,
  learningRate: trainDefaults.learningRate,
  validateEvery: 1000,
  validationSplit: trainDefaults.validationFraction,
} as const satisfies Partial<TrainCommandOptions>;

function checkOptions(options: TrainCommandOptions): void {
  const positive: [string, number][] = [
    ['--vocab', options.vocab],
    ['--embedding', options.embedding],
    ['--hidden', options.hidden],
    ['--seq', options.seq],
    ['--batch', options.batch],
    ['--epochs', options.epochs],
  ];
  for (const [flag, value] of positive) {
    if (!Number.isInteger(value) || value < 1)
      throw new CodedError('INVALID_TRAIN_OPTIONS', `${flag} must be a positive integer (got ${value})`);
  }
  if (options.vocab < 16)
    throw new CodedError('INVALID_TRAIN_OPTIONS', `--vocab must be at least 16 (got ${options.vocab})`);
  if (options.layers !== 1 && options.layers !== 2)
    throw new CodedError('INVALID_TRAIN_OPTIONS', `--layers must be 1 or 2 (got ${options.layers})`);
  if (options.averageFrom !== undefined && !(options.averageFrom >= 0 && options.averageFrom < 1))
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--average-from must be at least 0 and below 1 (got ${options.averageFrom})`,
    );
  checkDropout(options.dropout);
  if (options.minutes !== undefined && !(options.minutes > 0))
    throw new CodedError('INVALID_TRAIN_OPTIONS', `--minutes must be a positive number (got ${options.minutes})`);
  if (!(options.validationSplit > 0 && options.validationSplit < 0.5)) {
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--validation-split must be between 0 and 0.5 (got ${options.validationSplit})`,
    );
  }
  checkRepeat(options);
  if (options.widen !== undefined && options.from === undefined)
    throw new CodedError('INVALID_TRAIN_OPTIONS', '--widen needs --from (the model to widen)');
  if (options.format !== undefined && options.format !== 'lines' && options.format !== 'jsonl') {
    throw new CodedError('INVALID_TRAIN_OPTIONS', `--format must be lines or jsonl (got ${String(options.format)})`);
  }
}

const MAX_REPEAT = 100;
const MAX_DROPOUT = 0.9;

function checkDropout(dropout: number[] | undefined): void {
  if (dropout === undefined) return;
  if (dropout.length !== 2 || !dropout.every((rate) => rate >= 0 && rate <= MAX_DROPOUT))
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--dropout takes two rates from 0 to ${MAX_DROPOUT}, input,output (got ${dropout.join(',')})`,
    );
}

/** `--dropout` as `TrainOptions.dropout` (undefined: none). */
const dropoutRates = ({ dropout }: TrainCommandOptions) => dropout && { input: dropout[0]!, output: dropout[1]! };

/** The corpus files, in the order given. */
const corpusPaths = ({ corpus }: TrainCommandOptions): string[] => (typeof corpus === 'string' ? [corpus] : corpus);

function checkRepeat(options: TrainCommandOptions): void {
  const { repeat } = options;
  if (repeat === undefined) return;
  const corpora = corpusPaths(options).length;
  if (repeat.length !== corpora)
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--repeat needs one count per --corpus (${corpora}), in their order (got ${repeat.length})`,
    );
  const wrong = repeat.find((times) => !Number.isInteger(times) || times < 1 || times > MAX_REPEAT);
  if (wrong !== undefined)
    throw new CodedError(
      'INVALID_TRAIN_OPTIONS',
      `--repeat counts must be integers from 1 to ${MAX_REPEAT} (got ${wrong})`,
    );
}

/** Time kept back from `--minutes` for saving the model. */
const SAVE_RESERVE_MS = 1_000;

interface TrainRunContext {
  command: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  progress?: Pick<ProgressReporter, 'update'>;
  /** Epoch ms `--minutes` counts from (the command line passes the process's start); default: now. */
  startedAt?: number;
}

/** The licenses of the corpora read, and of those the continued model was trained on, each once. */
function corpusLicensesOf(corpus: PreparedCorpora, from: LoadedModel | undefined): ModelCard['licenses'] {
  const licenses = new Map<string, ModelCard['licenses'][number]>();
  for (const license of from?.card.licenses ?? []) licenses.set(license.source, license);
  for (const source of corpus.sources) {
    const license = corpusLicenses[source.sha256];
    if (license) licenses.set(license.source, license);
  }
  return [...licenses.values()];
}

/**
 * Trains and saves a model; returns its card. `log` receives event lines, `progress` how far reading,
 * training and validating are. `--minutes` bounds the whole command: reading, training, validation.
 */
export async function runTrain(options: TrainCommandOptions, context: TrainRunContext): Promise<ModelCard> {
  checkOptions(options);
  await checkTrainOutput(options.out, options.force);
  const started = Date.now();
  const from = options.from === undefined ? undefined : await loadModel(options.from);
  try {
    const corpus = await readCorpora(options, from, context);
    return await trainOn(corpus, from, options, { ...context, startedAt: context.startedAt ?? started });
  } finally {
    if (from) disposeParams(from.params);
  }
}

/** The sizes of the model trained: `from`'s (widened when asked), or the options'. */
function trainedConfig(
  corpus: PreparedCorpora,
  from: LoadedModel | undefined,
  options: TrainCommandOptions,
  tied: boolean,
): ModelCard['config'] {
  return {
    vocabSize: corpus.vocab.size,
    embeddingSize: from?.card.config.embeddingSize ?? options.embedding,
    hiddenSize: options.widen ?? from?.card.config.hiddenSize ?? options.hidden,
    layers: from?.card.config.layers ?? options.layers,
    ...(tied && { tiedEmbedding: true }),
  };
}

/** Trains on the prepared corpora (from `from`'s weights, when given), saves, and scores each corpus's tail. */
async function trainOn(
  corpus: PreparedCorpora,
  from: LoadedModel | undefined,
  options: TrainCommandOptions,
  context: TrainRunContext & { startedAt: number },
): Promise<ModelCard> {
  const { log, progress } = context;
  const tied = Boolean(from?.card.config.tiedEmbedding || options.tieEmbeddings);
  const config = trainedConfig(corpus, from, options, tied);
  const makeCard = cardMaker(options, corpus, from, config, context.command);
  const save = (run: BestSoFar, stoppedBy: string): Promise<ModelCard> =>
    saveModel(
      options.out,
      { params: run.params, vocab: corpus.vocab, card: makeCard(run, stoppedBy) },
      { float16: options.float16 },
    );
  const initial = from
    ? continuedWeights(from, corpus, { tied, widen: options.widen, seed: options.seed }, log)
    : initParams(config, options.seed);
  const result = await trainModel(initial, corpus.ids, {
    validationStart: corpus.validationStart,
    // The tails scored after training (`scoreSources`): by this model, and by the one it continued.
    reserveEvaluationTokens:
      corpus.sources.length > 1 || from
        ? (from ? 2 : 1) * corpus.sources.reduce((tokens, source) => tokens + source.validationTokens, 0)
        : 0,
    batchSize: options.batch,
    seqLength: options.seq,
    epochs: options.epochs,
    timeBudgetMs: trainingBudgetMs(options, context.startedAt, log),
    learningRate: options.learningRate,
    ...(options.averageFrom !== undefined && { averageFrom: options.averageFrom }),
    ...(options.dropout && { dropout: dropoutRates(options)! }),
    validateEveryBatches: options.validateEvery,
    validationFraction: options.validationSplit,
    carryState: !options.resetState,
    ...(options.precision ? { precision: options.precision } : {}),
    signal: context.signal,
    onEvent: (event) => reportTrainEvent(event, log, progress),
    onValidating: (done, total) => progress?.update({ label: 'validating', done, total, unit: 'batches' }),
    // A checkpoint at every improvement: the folder always holds the best model so far.
    onBest: async (best) => {
      if (options.checkpoints) await save(best, 'checkpoint (training still running)');
    },
  });
  try {
    if (corpus.sources.length > 1 || from)
      scoreSources(corpus, { params: result.params, vocab: corpus.vocab }, from, log);
    const saved = await save(result, result.stoppedBy);
    log(
      `saved ${options.out}: validation perplexity ${result.validation.perplexity.toFixed(2)}, ` +
        `${result.tokensSeen} tokens seen in ${(result.trainingMs / 60_000).toFixed(1)} min, weights ${saved.weights.bytes} bytes (${saved.weights.dtype})`,
    );
    return saved;
  } finally {
    disposeParams(result.params);
  }
}

/**
 * `from`'s weights grown to the corpora's vocabulary, tied when asked and they are not yet, and widened
 * to `widen` units when asked.
 */
function continuedWeights(
  from: LoadedModel,
  corpus: PreparedCorpora,
  how: { tied: boolean; widen: number | undefined; seed: number },
  log: (line: string) => void,
): LstmParams {
  let params = growVocabulary(from.params, corpus.vocab.size - from.vocab.size);
  const replace = (next: (current: LstmParams) => LstmParams): void => {
    try {
      const made = next(params);
      disposeParams(params);
      params = made;
    } catch (error) {
      disposeParams(params);
      throw error;
    }
  };
  if (how.tied && !params.outputProjection) {
    log(`tying the output layer of ${from.card.id} to its embedding (P fitted by least squares)`);
    replace(tieParams);
  }
  if (how.widen !== undefined && how.widen !== params.config.hiddenSize) {
    log(`widening ${from.card.id} from ${params.config.hiddenSize} to ${how.widen} units (the new ones silent)`);
    replace((current) => widenHidden(current, how.widen!, how.seed));
  }
  return params;
}

/** Reads the corpora into a vocabulary and an id stream, reporting the bytes read, then what they hold. */
async function readCorpora(options: TrainCommandOptions, from: LoadedModel | undefined, context: TrainRunContext) {
  const { log, progress } = context;
  const started = Date.now();
  const paths = corpusPaths(options);
  const sources = paths.map((path, index) => ({
    path,
    format: options.format ?? corpusFormatOf(path),
    repeat: options.repeat?.[index] ?? 1,
  }));
  log(`reading ${sources.map((source) => `${source.path} (${source.format})`).join(', ')}`);
  const reading = `reading ${paths.map((path) => basename(path)).join(', ')}`;
  const corpus = await prepareCorpora(sources, {
    vocabSize: options.vocab,
    grow: from?.vocab,
    excludeChannels: options.excludeChannels && new Set(options.excludeChannels),
    validationFraction: options.validationSplit,
    onProgress: (done, total) => progress?.update({ label: reading, done, total, unit: 'bytes' }),
  });
  const grown = from ? ` (${from.vocab.size} of ${from.card.id} and ${corpus.vocab.size - from.vocab.size} new)` : '';
  log(
    `${corpus.messages} messages, ${corpus.ids.length} tokens, vocabulary ${corpus.vocab.size}${grown}, ` +
      `unknown ${(corpus.unknownRate * 100).toFixed(2)}% (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return corpus;
}

/**
 * Each corpus's validation tail, scored by the trained model and, like for like (same positions, the
 * trained model's vocabulary: see `evaluateOnVocabulary`), by the model it continued; logged and kept
 * for the card.
 */
function scoreSources(
  corpus: PreparedCorpora,
  trained: Pick<LoadedModel, 'params' | 'vocab'>,
  from: LoadedModel | undefined,
  log: (line: string) => void,
): void {
  for (const [index, source] of corpus.sources.entries()) {
    const ids = corpus.validation[index]!;
    if (ids.length < 2) continue;
    const options = { batchSize: 32, seqLength: 32 };
    source.validationPerplexity = evaluateOnVocabulary(trained, ids, corpus.vocab, options).perplexity;
    if (from) source.fromPerplexity = evaluateOnVocabulary(from, ids, corpus.vocab, options).perplexity;
    log(
      `validation ${source.name}: perplexity ${source.validationPerplexity.toFixed(2)}` +
        (from ? ` (${from.card.id}: ${source.fromPerplexity!.toFixed(2)}, same tokens and vocabulary)` : ''),
    );
  }
}

/** The card of the model this command trains, for a run's best weights and why it stopped. */
function cardMaker(
  options: TrainCommandOptions,
  corpus: PreparedCorpora,
  from: LoadedModel | undefined,
  config: ModelCard['config'],
  command: string,
): (run: BestSoFar, stoppedBy: string) => Omit<ModelCard, 'weights'> {
  const createdAt = new Date();
  return (run, stoppedBy) => ({
    format: 'lstm-bot-model',
    formatVersion: 1,
    id: `${basename(options.out)}-${createdAt.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}-${corpus.sha256.slice(0, 8)}`,
    createdAt: createdAt.toISOString(),
    config,
    corpus: {
      name: corpus.sources.map((source) => source.name).join(' + '),
      sha256: corpus.sha256,
      format: corpus.sources[0]!.format,
      messages: corpus.messages,
      tokens: corpus.ids.length,
      unknownRate: corpus.unknownRate,
    },
    ...(corpus.sources.length > 1 || from ? { corpora: corpus.sources } : {}),
    ...(from ? { continuedFrom: from.card.id } : {}),
    training: {
      seqLength: options.seq,
      batchSize: options.batch,
      learningRate: options.learningRate,
      ...(options.averageFrom !== undefined && { averageFrom: options.averageFrom }),
      ...(options.dropout && { dropout: dropoutRates(options)! }),
      ...(run.averagedSteps && { averagedSteps: run.averagedSteps }),
      carryState: !options.resetState,
      seed: options.seed,
      epochs: run.epochs,
      tokensSeen: run.tokensSeen,
      trainingSeconds: run.trainingMs / 1000,
      stoppedBy,
      backend: tfLoad.backend,
      precision: run.precision,
    },
    validation: run.validation,
    command,
    licenses: corpusLicensesOf(corpus, from),
  });
}

/** What is left of `--minutes` (counted from `startedAt`) for training, the save kept back; says when little is. */
function trainingBudgetMs(
  options: TrainCommandOptions,
  startedAt: number,
  log: (line: string) => void,
): number | undefined {
  if (options.minutes === undefined) return undefined;
  const budgetMs = Math.max(SAVE_RESERVE_MS, options.minutes * 60_000 - (Date.now() - startedAt) - SAVE_RESERVE_MS);
  if (budgetMs < options.minutes * 6_000) {
    log(`reading the corpus used most of --minutes ${options.minutes}: ${Math.round(budgetMs / 1000)} s left to train`);
  }
  return budgetMs;
}

function reportTrainEvent(event: TrainEvent, log: (line: string) => void, progress?: Pick<ProgressReporter, 'update'>) {
  log(formatTrainEvent(event));
  if (event.type !== 'batch') return;
  progress?.update({
    label: 'training',
    done: (event.epoch - 1) * event.batches + event.batch,
    total: event.epochs * event.batches,
    unit: 'batches',
    detail: `loss ${event.loss.toFixed(2)}`,
    leftMs: event.etaMs,
  });
}

export function formatTrainEvent(event: TrainEvent): string {
  if (event.type === 'validation') {
    return (
      `validation epoch ${event.epoch} batch ${event.batch}: loss ${event.loss.toFixed(4)} ` +
      `perplexity ${event.perplexity.toFixed(2)}${event.best ? ' (best)' : ''}${averagedNote(event)} at ${formatDuration(event.elapsedMs)}`
    );
  }
  return (
    `epoch ${event.epoch}/${event.epochs} batch ${event.batch}/${event.batches} loss ${event.loss.toFixed(4)} ` +
    `lr ${event.learningRate.toPrecision(3)} ${Math.round(event.tokensPerSecond)} tokens/s eta ${formatDuration(event.etaMs)}`
  );
}

/** What a validation says of the weights' mean, when the run averages them. */
function averagedNote({ average }: ValidationEvent): string {
  if (!average) return '';
  const { steps, meanPerplexity, lastPerplexity, meanKept } = average;
  return meanKept
    ? `, the mean of the last ${steps} steps' weights (the last weights: ${lastPerplexity.toFixed(2)})`
    : `, the last weights (the mean of the last ${steps} steps': ${meanPerplexity.toFixed(2)})`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

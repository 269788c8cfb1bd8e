/**
 * The model tools of the `lstm-bot` command line: `train`, `eval`, `tokenize`. Flags are parsed here;
 * the work is in `train.ts`, `evaluate.ts` and `tokenize-corpus.ts`.
 */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { runEvaluate, formatEvaluation } from './evaluate.js';
import { ProgressReporter } from './progress-reporter.js';
import { runTokenize } from './tokenize-corpus.js';
import { isOutputPrecision, whyMixedCannotRun, type OutputPrecision } from '../model/lstm/output-precision.js';
import { runTrain, trainCommandDefaults, type TrainCommandOptions } from './train.js';
import { commandStartedAt } from '../model/training/training-process-env.js';

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
const number = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

const precision = (value: string): OutputPrecision => {
  if (!isOutputPrecision(value)) throw new InvalidArgumentError('expected mixed or float32');
  const refusal = value === 'mixed' ? whyMixedCannotRun() : undefined;
  if (refusal) throw new InvalidArgumentError(`mixed cannot run here: ${refusal}`);
  return value;
};

/** Options whose value is a file or folder. */
const PATH_OPTIONS = new Set(['--corpus', '--out', '--model', '--file', '--from']);

/** A repeatable option's values, in the order given. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
/** A comma-separated list, repeatable. */
const list = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
];

/** A comma-separated list of numbers (checked by the command: an item that is not one stays NaN). */
const numbers = (value: string): number[] => list(value).map(Number);

/**
 * The exact command line, shell-quoted where needed (recorded in the model card), with the paths
 * relative to the working directory `cwd`: it names no folder of the machine that trained.
 */
export function commandLine(argv: readonly string[], cwd = process.cwd()): string {
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const path = (value: string): string => relative(cwd, resolve(cwd, value)) || '.';
  const args = argv.map((arg, i) => {
    const [option, value] = arg.split(/=(.*)/s, 2);
    if (value !== undefined && PATH_OPTIONS.has(option!)) return `${option}=${path(value)}`;
    return i > 0 && PATH_OPTIONS.has(argv[i - 1]!) ? path(arg) : arg;
  });
  return ['lstm-bot', ...args.map(quote)].join(' ');
}

/** Reports a failure as one short line on stderr and exit code 1 (stack only with DEBUG). */
async function reported(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}`);
    if (process.env.DEBUG) console.error(error);
    process.exitCode = 1;
  }
}

export function registerModelCommands(program: Command): void {
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerTokenizeCommand(program);
}

function registerTrainCommand(program: Command): void {
  const d = trainCommandDefaults;
  program
    .command('train')
    .description('train a word-level LSTM on corpus files and save it as a model folder')
    .requiredOption(
      '--corpus <file>',
      'corpus: one message per line (blank line between dialogues), or JSON Lines; repeat for several',
      collect,
    )
    .option('--format <format>', 'lines or jsonl (default: from each file name)')
    .option('--exclude-channels <names>', 'JSON Lines channels to leave out (comma-separated)', list)
    .option(
      '--repeat <counts>',
      'times each corpus is read per epoch and weighs in validation, comma-separated in --corpus order',
      numbers,
    )
    .option(
      '--from <dir>',
      'continue training this model (its vocabulary grown up to --vocab, its sizes kept but for --widen)',
    )
    .requiredOption('--out <dir>', 'model folder to write (replaced atomically; must be new, empty or a model folder)')
    .option('--force', 'replace --out even when it holds other files than a model')
    .option('--vocab <n>', 'vocabulary size, special tokens included', integer, d.vocab)
    .option('--embedding <n>', 'embedding size', integer, d.embedding)
    .option('--hidden <n>', 'LSTM size', integer, d.hidden)
    .option('--layers <n>', 'LSTM layers (1 or 2)', integer, d.layers)
    .option('--seq <n>', 'tokens per sequence (truncated back-propagation length)', integer, d.seq)
    .option('--batch <n>', 'sequences per batch', integer, d.batch)
    .option('--epochs <n>', 'most passes over the corpus', integer, d.epochs)
    .option('--minutes <m>', 'time budget: stop after this many minutes', number)
    .option('--learning-rate <r>', 'Adam learning rate (decays to a tenth by the end)', number, d.learningRate)
    .option('--average-from <f>', 'average the weights from this share of the run on (0-1)', number)
    .option('--dropout <rates>', 'variational dropout while training, input,output (e.g. 0.1,0.2)', numbers)
    .option('--validate-every <n>', 'validate every n batches (and after each epoch)', integer, d.validateEvery)
    .option(
      '--validation-split <f>',
      'share of the corpus, at its end, held out for validation',
      number,
      d.validationSplit,
    )
    .option('--precision <p>', 'output layer in training: mixed (bfloat16) or float32 (see README)', precision)
    .option('--reset-state', 'start every batch from a zero LSTM state instead of carrying it')
    .option('--seed <n>', 'seed for the initial weights', integer, d.seed)
    .option('--float16', 'store the weights as float16 (half the size)')
    .option('--widen <n>', 'with --from: widen its LSTM layers to n units (the new ones start silent)', integer)
    .option('--tie-embeddings', 'output layer tied to the embedding (P E^T); ties a --from model that is not')
    .option('--checkpoints', 'save the model folder at every validation improvement (not only at the end)')
    .action((options: TrainCommandOptions) => reported(() => train(options)));
}

/** `lstm-bot train`'s run: progress on stderr, the command line for the card, Ctrl-C stops it cleanly. */
async function train(options: TrainCommandOptions): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  const progress = new ProgressReporter();
  try {
    await runTrain(options, {
      command: commandLine(process.argv.slice(2)),
      log: (line) => progress.log(line),
      signal: controller.signal,
      progress,
      // --minutes bounds the command as the user times it: from its start (before a restart for glibc).
      startedAt: commandStartedAt(),
    });
  } finally {
    progress.finish();
    process.off('SIGINT', stop);
  }
}

function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('perplexity of a model on a corpus file')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--corpus <file>', 'corpus file')
    .option('--format <format>', 'lines or jsonl (default: from the file name)')
    .option('--against <dir>', 'also score this model (a base) on the same tokens and the same vocabulary')
    .option('--json', 'print the result as JSON')
    .action(
      (options: { model: string; corpus: string; format?: 'lines' | 'jsonl'; against?: string; json?: boolean }) =>
        reported(async () => {
          const progress = new ProgressReporter();
          const result = await runEvaluate(options, progress).finally(() => progress.finish());
          console.log(options.json ? JSON.stringify(result) : formatEvaluation(result));
        }),
    );
}

function registerTokenizeCommand(program: Command): void {
  program
    .command('tokenize')
    .description("print each message of a corpus as one JSON line of tokens and the model's ids")
    .requiredOption('--model <dir>', 'model folder (for its vocabulary)')
    .requiredOption('--corpus <file>', 'corpus file')
    .option('--format <format>', 'lines or jsonl (default: from the file name)')
    .action((options: { model: string; corpus: string; format?: 'lines' | 'jsonl' }) =>
      reported(async () => {
        // `lstm-bot tokenize ... | head` closes the pipe early: stop quietly.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'EPIPE') process.exit(0);
          throw error;
        });
        const progress = new ProgressReporter();
        await runTokenize(options, (line) => process.stdout.write(`${line}\n`), progress).finally(() =>
          progress.finish(),
        );
      }),
    );
}

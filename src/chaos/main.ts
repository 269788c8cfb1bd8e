/**
 * `npm run chaos -- [--requests N] [--concurrency C] [--experiments worker,workers,bot,redis] [--model DIR]
 *   [--runs K] [--duration S] [--wait S] [--keep] [--json]`
 *
 * For each experiment, on fresh state: its own redis-server (append-only file), two `lstm-bot worker`
 * processes and one `lstm-bot bot` against a fake Slack on 127.0.0.1; N signed `/continue` requests
 * spread over `--duration` seconds, at most C at once, while the experiment kills (SIGKILL) and
 * restarts one worker, both workers, the bot or Redis; then it waits for the answers and counts, per
 * accepted request, answered once, twice, never, apology, "temporarily unavailable". Prints one
 * markdown table row per experiment and run (`--json`: the full counts). Exit code 1 if any
 * experiment had a request answered twice or never, 2 if the harness itself failed.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chaosTable } from './chaos-table.js';
import { DEFAULT_EXPERIMENTS, EXPERIMENT_NAMES, type ExperimentName } from './chaos-experiments.js';
import { killAllManaged } from './managed-process.js';
import { runExperiment, type ExperimentResult } from './run-experiment.js';

/**
 * A reply a killed bot had in flight is taken back by the next bot's stalled-job check, which runs
 * every 30 s (BullMQ's default) and needs two passes (one marks, one moves): up to 60 s after that
 * bot starts. Watch that long after the last restart, and a margin for a busy host.
 */
const WATCH_AFTER_DISRUPTION_MS = 75_000;
const ACK_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 120_000;
/** The kill comes a fifth into the load, so the load goes on through the kill and the restart. */
const KILL_AT_FRACTION = 0.2;

const USAGE =
  'usage: npm run chaos -- [--requests N] [--concurrency C] [--experiments worker,workers,bot,redis,none] [--model DIR] [--runs K] [--duration S] [--wait S] [--keep] [--json]';

function fail(message: string): never {
  console.error(`chaos: ${message}\n${USAGE}`);
  process.exit(2);
}

function positiveInt(name: string, value: string, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max)
    fail(`--${name} must be a whole number from 1 to ${max}`);
  return number;
}

function readOptions() {
  try {
    return parseArgs({
      options: {
        requests: { type: 'string', default: '400' },
        concurrency: { type: 'string', default: '64' },
        experiments: { type: 'string', default: DEFAULT_EXPERIMENTS.join(',') },
        model: { type: 'string', default: 'models/base' },
        runs: { type: 'string', default: '1' },
        duration: { type: 'string', default: '30' },
        wait: { type: 'string', default: '60' },
        keep: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const values = readOptions();
const requests = positiveInt('requests', values.requests, 10_000);
const concurrency = positiveInt('concurrency', values.concurrency, 1_000);
const runs = positiveInt('runs', values.runs, 20);
const durationMs = positiveInt('duration', values.duration, 3_600) * 1000;
const waitMs = positiveInt('wait', values.wait, 3_600) * 1000;
const experiments = values.experiments.split(',').map((name) => name.trim());
for (const name of experiments) {
  if (!(EXPERIMENT_NAMES as readonly string[]).includes(name)) {
    fail(`unknown experiment "${name}": choose from ${EXPERIMENT_NAMES.join(', ')}`);
  }
}
const modelDir = resolve(values.model);
if (!existsSync(join(modelDir, 'card.json'))) fail(`${modelDir} is not a model folder (no card.json)`);

// Whatever way this process ends, the processes it started end too.
process.on('exit', killAllManaged);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`chaos: ${signal}, stopping every process it started (temporary directories stay)`);
    killAllManaged();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

const log = (line: string) => console.error(`chaos: ${line}`);
const rows: { run: number; result: ExperimentResult }[] = [];
const errors: string[] = [];
for (let run = 1; run <= runs; run += 1) {
  for (const name of experiments as ExperimentName[]) {
    try {
      const result = await runExperiment({
        name,
        modelDir,
        requests,
        concurrency,
        durationMs,
        killAfterMs: durationMs * KILL_AT_FRACTION,
        waitMs,
        watchAfterDisruptionMs: WATCH_AFTER_DISRUPTION_MS,
        ackTimeoutMs: ACK_TIMEOUT_MS,
        startTimeoutMs: START_TIMEOUT_MS,
        keepDir: values.keep,
        log,
      });
      rows.push({ run, result });
      log(`${name}: ${JSON.stringify({ ...result.counts, events: result.events })}`);
      if (result.dir) log(`${name}: logs kept in ${result.dir}`);
    } catch (error) {
      errors.push(String((error as Error).message));
      log(String((error as Error).message));
    }
  }
}

if (values.json) {
  console.log(JSON.stringify({ options: { requests, concurrency, runs, durationMs, waitMs }, rows, errors }, null, 2));
} else {
  console.log(chaosTable(rows));
  for (const error of errors) console.log(`\n${error}`);
}
const broken = rows.some(({ result }) => result.counts.twice > 0 || result.counts.never > 0);
process.exitCode = errors.length > 0 ? 2 : broken ? 1 : 0;

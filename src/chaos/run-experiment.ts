import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosDeployment } from './chaos-deployment.js';
import { disrupt, type ChaosEvent, type ExperimentName } from './chaos-experiments.js';
import { chaosRequests, WARM_UP_CHANNEL } from './chaos-requests.js';
import { countOutcomes, everyAcceptedHeardBack, type ChaosCounts } from './count-outcomes.js';
import type { PlatformPost } from './fake-slack-platform.js';
import { driveSlashCommands, type ChaosAck, type ChaosRequest } from './slash-command-load.js';
import { warmUpWorkers } from './warm-up-workers.js';

export interface ExperimentOptions {
  name: ExperimentName;
  modelDir: string;
  requests: number;
  concurrency: number;
  /** The load is spread over this long. */
  durationMs: number;
  /** The kill comes this far into the load. */
  killAfterMs: number;
  /** After the load and the restarts, the longest wait for answers (unless `watchAfterDisruptionMs` is longer). */
  waitMs: number;
  /**
   * After the last kill or restart, keep watching at least this long, for late answers and late
   * duplicates: a reply a killed bot had in flight is retried only once BullMQ finds it stalled.
   */
  watchAfterDisruptionMs: number;
  ackTimeoutMs: number;
  startTimeoutMs: number;
  /** Keep the experiment's directory (logs, AOF) even when nothing went wrong. */
  keepDir: boolean;
  log: (line: string) => void;
}

/** After the load, the harness stops waiting once nothing was posted for this long (and all heard back). */
const QUIET_MS = 2_000;
const POLL_MS = 250;

export interface ExperimentResult {
  experiment: ExperimentName;
  counts: ChaosCounts;
  /** Kills and restarts, in seconds from the load's start. */
  events: { atS: number; what: string }[];
  loadSeconds: number;
  /** From the end of the load and of the restarts until the harness stopped waiting. */
  waitedSeconds: number;
  /** Processes found dead at the end that the harness had not killed (crashed on their own). */
  crashed: string[];
  /** The pids each process had, one per start (to find them in logs). */
  pids: Record<string, number[]>;
  /** Logs and the AOF, kept when something went wrong or on request. */
  dir?: string;
}

/**
 * One experiment on fresh state: its own Redis, workers, bot and fake Slack in a new temporary
 * directory; the load and the disruption side by side; then a bounded wait for answers; then every
 * process is stopped. The directory is removed unless the result shows a problem or `keepDir`.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const { name, log } = options;
  const dir = await mkdtemp(join(tmpdir(), `lstm-bot-chaos-${name}-`));
  const deployment = await ChaosDeployment.create({
    dir,
    modelDir: options.modelDir,
    startTimeoutMs: options.startTimeoutMs,
  });
  let keep = options.keepDir;
  try {
    log(`${name}: starting redis-server, 2 workers and the bot (logs in ${dir})`);
    await deployment.start();
    if (!(await warmUpWorkers(deployment, options.startTimeoutMs))) {
      log(`${name}: a worker had not loaded the model after ${options.startTimeoutMs / 1000} s of warm-up; going on`);
    }
    const requests = chaosRequests(options.requests, randomBytes(3).toString('hex'));
    const { acks, events, loadStartMs, loadEndMs } = await loadAndDisrupt(options, deployment, requests);
    // Answers are awaited from when both the load and the restarts are over.
    const waitFromMs = performance.now();
    const accepted = acks.filter((ack) => ack.status === 200).length;
    log(`${name}: load done, ${accepted} of ${acks.length} accepted; waiting for answers`);
    const posts = () => experimentPosts(deployment.platform.posts);
    await waitForAnswers(options, { requests, acks, posts, waitFromMs, lastEventMs: events.at(-1)?.atMs });
    const waitedSeconds = (performance.now() - waitFromMs) / 1000;
    const processes = [deployment.redis, ...deployment.workers, deployment.bot];
    const crashed = processes.filter((process) => !process.isRunning).map((process) => process.name);
    const counts = countOutcomes(requests, acks, posts());
    keep ||= counts.twice > 0 || counts.never > 0 || counts.other > 0 || crashed.length > 0;
    const result: ExperimentResult = {
      experiment: name,
      counts,
      events: events.map(({ atMs, what }) => ({ atS: round1((atMs - loadStartMs) / 1000), what })),
      loadSeconds: round1((loadEndMs - loadStartMs) / 1000),
      waitedSeconds: round1(waitedSeconds),
      crashed,
      pids: Object.fromEntries(processes.map((process) => [process.name, [...process.pids]])),
    };
    if (keep) result.dir = dir;
    return result;
  } catch (error) {
    keep = true;
    throw new Error(`experiment ${name} could not run (logs in ${dir}): ${String(error)}`, { cause: error });
  } finally {
    await deployment.stop();
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

/** Sends the requests while the experiment's disruption runs beside them. */
async function loadAndDisrupt(options: ExperimentOptions, deployment: ChaosDeployment, requests: ChaosRequest[]) {
  const { name, log } = options;
  const loadStartMs = performance.now();
  let loadEndMs = loadStartMs;
  log(
    `${name}: sending ${requests.length} requests over ${options.durationMs / 1000} s, ${options.concurrency} at most at once`,
  );
  const [load, disruption] = await Promise.allSettled([
    driveSlashCommands({
      url: deployment.receiverUrl,
      signingSecret: deployment.signingSecret,
      teamId: deployment.platform.teamId,
      requests,
      responseUrl: (id) => deployment.platform.responseUrl(id),
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      ackTimeoutMs: options.ackTimeoutMs,
    }).finally(() => (loadEndMs = performance.now())),
    disrupt(name, deployment, { loadStartMs, killAfterMs: options.killAfterMs }),
  ]);
  if (disruption.status === 'rejected') throw disruption.reason;
  if (load.status === 'rejected') throw load.reason;
  const events: ChaosEvent[] = disruption.value;
  return { acks: load.value, events, loadStartMs, loadEndMs };
}

/**
 * Waits until every accepted request heard back, the platform has been quiet a while and the last
 * disruption has been watched long enough, or until the experiment's wait is over.
 */
async function waitForAnswers(
  options: Pick<ExperimentOptions, 'waitMs' | 'watchAfterDisruptionMs'>,
  settings: {
    requests: readonly ChaosRequest[];
    acks: readonly ChaosAck[];
    posts: () => PlatformPost[];
    waitFromMs: number;
    lastEventMs: number | undefined;
  },
): Promise<void> {
  const { lastEventMs, waitFromMs } = settings;
  const deadlineMs = Math.max(waitFromMs + options.waitMs, (lastEventMs ?? 0) + options.watchAfterDisruptionMs);
  for (;;) {
    const nowMs = performance.now();
    if (nowMs >= deadlineMs) break;
    const quiet = nowMs - (settings.posts().at(-1)?.atMs ?? waitFromMs) >= QUIET_MS;
    const watched = lastEventMs === undefined || nowMs - lastEventMs >= options.watchAfterDisruptionMs;
    if (quiet && watched && everyAcceptedHeardBack(settings.requests, settings.acks, settings.posts())) break;
    await sleep(POLL_MS);
  }
}

/** The posts of the experiment's own requests (not of the warm-up). */
function experimentPosts(posts: readonly PlatformPost[]): PlatformPost[] {
  return posts.filter((post) => post.channel !== WARM_UP_CHANNEL);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

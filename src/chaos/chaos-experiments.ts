import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosDeployment } from './chaos-deployment.js';
import type { ManagedProcess } from './managed-process.js';

export const EXPERIMENT_NAMES = ['none', 'worker', 'workers', 'bot', 'redis'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];
/** What `npm run chaos` runs unless `--experiments` says otherwise (`none` is the no-kill baseline). */
export const DEFAULT_EXPERIMENTS: readonly ExperimentName[] = ['worker', 'workers', 'bot', 'redis'];

/** Something the harness did to the deployment, at `atMs` (`performance.now()`). */
export interface ChaosEvent {
  atMs: number;
  what: string;
}

export interface DisruptionTiming {
  /** When the load started (`performance.now()`). */
  loadStartMs: number;
  /** How long after the load's start the kill comes. */
  killAfterMs: number;
}

/** How long each victim stays dead before it is started again. */
export const RESTART_AFTER_MS = { worker: 3_000, workers: 3_000, bot: 5_000, redis: 5_000 } as const;
/** The bot is killed as the fake Slack receives an answer from it, or after this long without one. */
const BOT_KILL_WAIT_FOR_POST_MS = 3_000;

export const EXPERIMENT_DESCRIPTIONS: Readonly<Record<ExperimentName, string>> = {
  none: 'no kill (baseline)',
  worker: `kill -9 one worker, restart after ${RESTART_AFTER_MS.worker / 1000} s`,
  workers: `kill -9 both workers, restart after ${RESTART_AFTER_MS.workers / 1000} s`,
  bot: `kill -9 the bot as it posts an answer, restart after ${RESTART_AFTER_MS.bot / 1000} s`,
  redis: `kill -9 redis-server, restart after ${RESTART_AFTER_MS.redis / 1000} s (same port, same AOF)`,
};

/**
 * Runs experiment `name`'s disruption against the deployment while the load runs: waits until
 * `killAfterMs` into the load, kills its victims with SIGKILL, and starts them again after
 * `RESTART_AFTER_MS` (waiting until they say they are ready). Resolves with what it did, when.
 */
export async function disrupt(
  name: ExperimentName,
  deployment: ChaosDeployment,
  { loadStartMs, killAfterMs }: DisruptionTiming,
): Promise<ChaosEvent[]> {
  if (name === 'none') return [];
  const events: ChaosEvent[] = [];
  const note = (what: string) => events.push({ atMs: performance.now(), what });
  const waitMs = loadStartMs + killAfterMs - performance.now();
  if (waitMs > 0) await sleep(waitMs);

  const victims = victimsOf(name, deployment);
  if (name === 'bot') {
    note(`killed the bot ${await killBotMidPost(deployment)}`);
  } else {
    await Promise.all(victims.map((victim) => victim.kill()));
    note(`killed ${victims.map((victim) => victim.name).join(' and ')}`);
  }
  const killedAtMs = performance.now();
  await sleep(Math.max(0, killedAtMs + RESTART_AFTER_MS[name] - performance.now()));
  note(`restarting ${victims.map((victim) => victim.name).join(' and ')}`);
  await Promise.all(victims.map((victim) => victim.start()));
  note(`${victims.map((victim) => victim.name).join(' and ')} ready again`);
  return events;
}

function victimsOf(name: Exclude<ExperimentName, 'none'>, deployment: ChaosDeployment): ManagedProcess[] {
  switch (name) {
    case 'worker':
      return [deployment.workers[0]!];
    case 'workers':
      return [...deployment.workers];
    case 'bot':
      return [deployment.bot];
    case 'redis':
      return [deployment.redis];
  }
}

/**
 * Kills the bot while the fake Slack holds one of its answer posts: the post is recorded, and the
 * bot dies before it reads Slack's reply (the window in which it cannot know the post happened).
 * If no answer arrives within a few seconds, the bot is killed anyway.
 */
async function killBotMidPost(deployment: ChaosDeployment): Promise<string> {
  const { platform, bot } = deployment;
  const how = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => {
      platform.beforeAnswer = undefined;
      bot.killNow();
      resolve(`after ${BOT_KILL_WAIT_FOR_POST_MS / 1000} s without an answer post`);
    }, BOT_KILL_WAIT_FOR_POST_MS);
    platform.beforeAnswer = (post) => {
      if (post.visibility !== 'public') return;
      platform.beforeAnswer = undefined;
      clearTimeout(timer);
      bot.killNow();
      resolve(`while it posted an answer (${post.via})`);
    };
  });
  await bot.exited();
  return how;
}

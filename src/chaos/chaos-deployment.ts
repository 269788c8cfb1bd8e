import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../main/private-redis.js';
import { FakeSlackPlatform } from './fake-slack-platform.js';
import { ManagedProcess } from './managed-process.js';

export interface ChaosDeploymentOptions {
  /** A fresh directory for Redis's append-only file, the model store and the logs. */
  dir: string;
  /** The base model folder. */
  modelDir: string;
  /** Longest wait for a process to say it is ready. */
  startTimeoutMs: number;
}

/** Short job locks, so a killed worker's jobs are taken over within seconds. */
export const CHAOS_WORKER_LOCK_MS = 5_000;
export const CHAOS_WORKER_STALLED_INTERVAL_MS = 2_000;

const CLI = fileURLToPath(new URL('../../bin/lstm-bot.js', import.meta.url));

/**
 * The deployed shape, on loopback: a `redis-server` with append-only persistence on a free port,
 * two `lstm-bot worker` processes and one `lstm-bot bot` (the compiled CLI) with the Slack HTTP
 * receiver, all pointed at a fake Slack. Each process can be killed and started again; `stop` ends
 * every one of them.
 */
export class ChaosDeployment {
  readonly platform = new FakeSlackPlatform();
  readonly signingSecret = randomBytes(16).toString('hex');
  readonly redis: ManagedProcess;
  readonly workers: readonly ManagedProcess[];
  readonly bot: ManagedProcess;
  /** QUEUE_PREFIX of every process: unique, though the Redis is the experiment's own. */
  readonly prefix = `chaos-${randomUUID()}`;
  #slackPort = 0;

  private constructor(
    private readonly options: ChaosDeploymentOptions,
    private readonly redisPort: number,
  ) {
    const { dir, startTimeoutMs } = options;
    const redisDir = join(dir, 'redis');
    this.redis = new ManagedProcess({
      name: 'redis',
      command: 'redis-server',
      // No config file; every setting here. `appendfsync everysec` is Redis's default: a kill -9 of
      // the server (not of the machine) loses no acknowledged write.
      args: [
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--appendonly',
        'yes',
        '--save',
        '',
      ],
      env: () => ({ PATH: process.env.PATH }),
      cwd: redisDir,
      logFile: join(dir, 'redis.log'),
      ready: /Ready to accept connections/,
      startTimeoutMs,
    });
    this.workers = [1, 2].map(
      (n) =>
        new ManagedProcess({
          name: `worker-${n}`,
          command: process.execPath,
          args: [CLI, 'worker'],
          env: () => this.#env({}),
          cwd: dir,
          logFile: join(dir, `worker-${n}.log`),
          ready: /generation worker ready/,
          startTimeoutMs,
        }),
    );
    this.bot = new ManagedProcess({
      name: 'bot',
      command: process.execPath,
      args: [CLI, 'bot'],
      env: () =>
        this.#env({
          SLACK_BOT_TOKEN: this.platform.botToken,
          SLACK_SIGNING_SECRET: this.signingSecret,
          SLACK_API_URL: this.platform.apiUrl,
          SLACK_PORT: String(this.#slackPort),
        }),
      cwd: dir,
      logFile: join(dir, 'bot.log'),
      ready: /"bot ready"/,
      startTimeoutMs,
    });
  }

  static async create(options: ChaosDeploymentOptions): Promise<ChaosDeployment> {
    await mkdir(join(options.dir, 'redis'), { recursive: true });
    await mkdir(join(options.dir, 'models'), { recursive: true });
    await symlink(resolve(options.modelDir), join(options.dir, 'models', 'base'));
    return new ChaosDeployment(options, await freePort());
  }

  get receiverUrl(): string {
    return `http://127.0.0.1:${this.#slackPort}/slack/events`;
  }

  /** Starts the fake platform, Redis, the workers (side by side) and the bot. */
  async start(): Promise<void> {
    await this.platform.start();
    this.#slackPort = await freePort();
    await this.redis.start();
    await Promise.all(this.workers.map((worker) => worker.start()));
    await this.bot.start();
  }

  /** Ends every process and the fake platform, whatever state they are in. */
  async stop(): Promise<void> {
    await Promise.allSettled([this.bot, ...this.workers, this.redis].map((p) => p.stop()));
    await this.platform.stop();
  }

  #env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { dir } = this.options;
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // No config file is read: the processes run in `dir`, where there is none.
      REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      QUEUE_PREFIX: this.prefix,
      MODELS_DIR: join(dir, 'models'),
      DATA_DIR: join(dir, 'data'),
      HEALTH_PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      WORKER_LOCK_MS: String(CHAOS_WORKER_LOCK_MS),
      WORKER_STALLED_INTERVAL_MS: String(CHAOS_WORKER_STALLED_INTERVAL_MS),
      // Every request must reach the queue: the rate limits would answer most of them otherwise.
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
      ...extra,
    };
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/main/private-redis.js';
import { pingRedis } from '../../src/ops/ping-redis.js';

/** A `redis-server` of the test's own, on a free port, that the test may stop and start again. */
export class OwnRedis {
  #child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /** A new server on `port` (default: a free one). */
  static async start(port?: number): Promise<OwnRedis> {
    const redis = new OwnRedis(port ?? (await freePort()));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i += 1) {
      try {
        await pingRedis(this.url, 500);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not start on ${this.port}`);
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until `resume`. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

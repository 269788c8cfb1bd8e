import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Every child the harness started and has not seen exit: stopped on any way out (`killAllManaged`). */
const running = new Set<ChildProcess>();

/** SIGKILLs every child still running; synchronous, so it also works in an `exit` handler. */
export function killAllManaged(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface ManagedProcessOptions {
  /** Names the process in errors and log lines (`worker-1`, `bot`, `redis`). */
  name: string;
  command: string;
  args: readonly string[];
  /** Read at each start (a port may be known only then). */
  env: () => NodeJS.ProcessEnv;
  cwd: string;
  /** Output is appended here, across restarts. */
  logFile: string;
  /** A line of output that says the process is ready. */
  ready: RegExp;
  /** Longest wait for `ready`. */
  startTimeoutMs: number;
}

/**
 * A child process the harness can start, `kill -9` and start again with the same command: its
 * stdout and stderr go to one log file; `start` resolves once a line matches `ready`, and rejects
 * (with the end of the output) if the process exits first or takes longer than `startTimeoutMs`.
 */
export class ManagedProcess {
  /** Every pid this process had, one per start. */
  readonly pids: number[] = [];
  #child: ChildProcess | undefined;
  #log: WriteStream | undefined;

  constructor(private readonly options: ManagedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.isRunning ? this.#child?.pid : undefined;
  }

  get isRunning(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.isRunning) throw new Error(`${this.name} is already running`);
    const { command, args, env, cwd, logFile, ready, startTimeoutMs } = this.options;
    this.#log ??= createWriteStream(logFile, { flags: 'a' });
    this.#log.write(`--- ${new Date().toISOString()} starting ${this.name}\n`);
    const child = spawn(command, args, { env: env(), cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    if (child.pid !== undefined) this.pids.push(child.pid);
    running.add(child);
    child.once('exit', () => running.delete(child));
    let tail = '';
    const readyOrFailed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} was not ready within ${startTimeoutMs} ms:\n${tail}`)),
        startTimeoutMs,
      );
      const settle = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const onOutput = (chunk: Buffer) => {
        this.#log?.write(chunk);
        tail = (tail + chunk.toString('utf8')).slice(-4_000);
        if (ready.test(tail)) settle();
      };
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      child.once('error', (error) => settle(error));
      child.once('exit', (code, signal) =>
        settle(new Error(`${this.name} exited (${signal ?? code}) before it was ready:\n${tail}`)),
      );
    });
    try {
      await readyOrFailed;
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  /** `kill -9` now, synchronously (the signal is sent when this returns); false if it was not running. */
  killNow(): boolean {
    if (!this.isRunning) return false;
    return this.#child?.kill('SIGKILL') ?? false;
  }

  /** `kill -9`, resolved once the process is gone (at once if it was not running). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.isRunning) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Resolves once the process has exited (after `killNow`). */
  async exited(): Promise<void> {
    const child = this.#child;
    if (child && this.isRunning) await once(child, 'exit');
  }

  /** Whether the log file (every start so far) has a line matching `pattern`. */
  async logContains(pattern: RegExp): Promise<boolean> {
    const text = await readFile(this.options.logFile, 'utf8').catch(() => '');
    return pattern.test(text);
  }

  /** Kills the process if it runs and closes the log file. */
  async stop(): Promise<void> {
    await this.kill();
    const log = this.#log;
    this.#log = undefined;
    if (log) await new Promise<void>((resolve) => log.end(resolve));
  }
}

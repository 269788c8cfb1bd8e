import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A log line of a process started with `LOG_FORMAT=json`. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/**
 * The compiled CLI (`bin/lstm-bot.js <args>`) as a long-running process: its JSON log lines as they come
 * (stderr), a wait for a line that matches, and a stop that ends it by its pid.
 */
export class CliProcess {
  readonly lines: LogLine[] = [];
  readonly output: string[] = [];
  readonly #child: ChildProcess;
  readonly #waiters = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(process.execPath, ['bin/lstm-bot.js', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stderr! }).on('line', (text) => {
      this.output.push(text);
      try {
        this.lines.push(JSON.parse(text) as LogLine);
      } catch {
        // Not a log line (a library's own warning): kept in `output` only.
      }
      for (const wake of this.#waiters) wake();
    });
    this.#child.once('exit', () => [...this.#waiters].forEach((wake) => wake()));
  }

  /** The first log line for which `match` holds; rejects after `timeoutMs` or when the process ends first. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`no such log line within ${timeoutMs} ms:\n${this.output.join('\n')}`)),
        timeoutMs,
      );
      const finish = (error?: Error, line?: LogLine) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      const check = () => {
        const line = this.lines.find(match);
        if (line) return finish(undefined, line);
        if (this.#child.exitCode !== null || this.#child.signalCode !== null)
          finish(new Error(`process ended (${this.#child.exitCode}) first:\n${this.output.join('\n')}`));
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The port of `/healthz` and `/metrics`, from the health server's log line. */
  async healthPort(): Promise<number> {
    const line = await this.waitForLog((l) => typeof l.port === 'number' && /\/healthz and \/metrics/.test(l.msg));
    return line.port as number;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Runs a TypeScript file in its own Node process (through vite-node, as the tests themselves run). */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn('node_modules/.bin/vite-node', [file, '--', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line that matches, or rejects if the process exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`process exited (${code}) before printing ${pattern}`));
    lines.on('line', (line) => {
      if (!pattern.test(line)) return;
      child.off('exit', onExit);
      lines.close();
      resolve(line);
    });
    child.once('exit', onExit);
  });
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { redactUrl } from '../config/redact-url.js';
import { pingRedis } from '../ops/ping-redis.js';
import { CodedError } from '../errors/coded-error.js';

export interface PrivateRedis {
  /** `redis://:<password>@127.0.0.1:<port>`: a secret, print it only through `redactUrl`. */
  url: string;
  stop(): Promise<void>;
}

export const INSTALL_REDIS_HELP = [
  'lstm-bot needs Redis. Nothing answers on redis://127.0.0.1:6379 and `redis-server` is not installed.',
  'Either install it and run `npm start` again (lstm-bot then starts a private one itself):',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
  'or point REDIS_URL at a Redis you already run, e.g. REDIS_URL=redis://127.0.0.1:6379 npm start',
].join('\n');

/**
 * Starts a `redis-server` owned by this process on a free loopback port, with an append-only file
 * under `<dataDir>/redis` (a folder only this user may open), so settings survive restarts. Other
 * local users can reach the port but not the data: the server requires a random password, new at
 * every start, given to it on its standard input (a command-line argument would show in `ps`).
 * Stopped (with a final save) by `stop()`.
 *
 * A server that outlived the process that started it (killed with SIGKILL: nothing could stop its
 * child) still holds that folder's files: it is stopped first (SIGTERM: it saves and exits), found by
 * the pid file it keeps there, so that two servers never write the same files. Its password died with
 * its parent, so it could not be reused. A server whose starter is still alive (`owner.pid`: another
 * `npm start` on the same `DATA_DIR`) is that process's: this start is refused instead.
 */
export async function startPrivateRedis(dataDir: string, command = 'redis-server'): Promise<PrivateRedis> {
  const dir = resolve(join(dataDir, 'redis'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const pidFile = join(dir, 'redis.pid');
  const ownerFile = join(dir, 'owner.pid');
  await stopLeftoverServer(dir, pidFile, ownerFile);
  const port = await freePort();
  const password = randomBytes(24).toString('hex');
  const child: ChildProcess = spawn(
    command,
    [
      '-',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '60 1',
      '--pidfile',
      pidFile,
    ],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  child.stdin?.on('error', () => undefined); // a server that failed to start closed it: `started` says why
  child.stdin?.end(`requirepass ${password}\n`);
  const started = new Promise<void>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new CodedError('REDIS_MISSING', INSTALL_REDIS_HELP) : error),
    );
    child.once('exit', (code) =>
      reject(new CodedError('REDIS_MISSING', `redis-server exited at start (code ${code}); data in ${dir}`)),
    );
  });
  started.catch(() => undefined);
  const url = `redis://:${password}@127.0.0.1:${port}`;
  await Promise.race([started, waitForPing(url)]);
  child.removeAllListeners('exit');
  await writeFile(ownerFile, `${process.pid}\n`);
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Stops the `redis-server` that `pidFile` names in `dir`, left running by a process that died: only when
 * that process is alive, a redis-server (its command line) working in `dir` (its working directory,
 * from `/proc`: a pid reused by another program is left alone, and so is everything where `/proc`
 * cannot tell), and the process that started it (`ownerFile`) is gone; a live starter's server is its
 * own, and this start is refused. Waits up to 30 s for it to save and exit, then kills it.
 */
async function stopLeftoverServer(dir: string, pidFile: string, ownerFile: string): Promise<void> {
  const pid = await readPid(pidFile);
  if (pid === undefined || !alive(pid)) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
  const workingDir = await readlink(`/proc/${pid}/cwd`).catch(() => '');
  if (!commandLine.includes('redis-server') || workingDir !== (await realpath(dir))) return;
  const owner = await readPid(ownerFile);
  if (owner !== undefined && alive(owner)) {
    throw new CodedError(
      'DATA_DIR_IN_USE',
      `DATA_DIR ${resolve(dir, '..')} is in use by another lstm-bot (pid ${owner}): stop it, or give this one its own DATA_DIR`,
    );
  }
  try {
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; waited < 30_000 && alive(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile, or not ours to signal
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForPing(url: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      await pingRedis(url, 500);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new CodedError('REDIS_MISSING', `the private redis-server did not answer on ${redactUrl(url)}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

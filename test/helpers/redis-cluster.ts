import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/main/private-redis.js';
import { removeDir } from './redis-test-env.js';

const run = promisify(execFile);

/** Starts `redis-server <args>` daemonized with a pid file under `dir`; resolves with the pid file's path. */
async function daemon(dir: string, args: string[]): Promise<string> {
  const pidFile = join(dir, 'pid');
  await run('redis-server', [...args, '--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir]);
  return pidFile;
}

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-p', String(port), ...args])).stdout;
}

/**
 * Redis set-ups of a test's own from the machine's `redis-server`, on free loopback ports: a 3-master
 * Cluster, or one master watched by one Sentinel. `stop` ends every process it started, by pid.
 */
export class RedisSetup {
  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly pidFiles: string[],
  ) {}

  static async cluster(): Promise<RedisSetup> {
    const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-cluster-'));
    const ports = [await freePort(), await freePort(), await freePort()];
    const pidFiles: string[] = [];
    const setup = new RedisSetup(`redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, dir, pidFiles);
    try {
      for (const port of ports) {
        const nodeDir = join(dir, String(port));
        await mkdir(nodeDir);
        const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
        args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf'));
        pidFiles.push(await daemon(nodeDir, args));
      }
      for (const port of ports) await waitFor(async () => (await redisCli(port, 'ping')).trim() === 'PONG', 'node up');
      const nodes = ports.map((p) => `127.0.0.1:${p}`);
      await run('sh', ['-c', `echo yes | redis-cli --cluster create ${nodes.join(' ')} --cluster-replicas 0`]);
      for (const port of ports) {
        await waitFor(async () => (await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok'), 'cluster ok');
      }
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  static async sentinel(): Promise<RedisSetup> {
    const dir = await mkdtemp(join(tmpdir(), 'lstm-bot-sentinel-'));
    const [masterPort, sentinelPort] = [await freePort(), await freePort()];
    const pidFiles: string[] = [];
    const setup = new RedisSetup(`redis+sentinel://127.0.0.1:${sentinelPort}/lstm-master`, dir, pidFiles);
    try {
      const masterDir = join(dir, 'master');
      const sentinelDir = join(dir, 'sentinel');
      await mkdir(masterDir);
      await mkdir(sentinelDir);
      const master = ['--port', String(masterPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      pidFiles.push(await daemon(masterDir, master));
      const config = join(sentinelDir, 'sentinel.conf');
      await writeFile(
        config,
        `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor lstm-master 127.0.0.1 ${masterPort} 1\n`,
      );
      pidFiles.push(await daemon(sentinelDir, [config, '--sentinel']));
      await waitFor(
        async () =>
          (await redisCli(sentinelPort, 'sentinel', 'get-master-addr-by-name', 'lstm-master')).includes(
            String(masterPort),
          ),
        'sentinel knows the master',
      );
      return setup;
    } catch (error) {
      await setup.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    for (const pidFile of this.pidFiles) {
      const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
      if (!pid) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await removeDir(this.dir);
  }
}

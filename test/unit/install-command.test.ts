import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDir } from '../helpers/redis-test-env.js';

const run = promisify(execFile);

/** Whether tfjs-node's download host answers here (it does not on the development machines and CI). */
function googleStorageReachable(): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: 'storage.googleapis.com', port: 443, timeout: 5_000 });
    const end = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
    socket.once('timeout', () => end(false));
  });
}

describe('the one install command', () => {
  it('is the first command of the Quick start, and the command .ci/run installs with', async () => {
    const readme = await readFile('README.md', 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'));
    const firstCommand = /```bash\n([^\n#]*?)\s*(#.*)?\n/.exec(quickStart)?.[1];
    expect(firstCommand).toBe('npm run setup');
    const ci = await readFile('.ci/run', 'utf8');
    expect(
      ci.split('\n').filter((line) => !line.startsWith('#') && /\bnpm (ci|install|run setup)\b|install\.sh/.test(line)),
    ).toEqual(['npm run setup']);
    const scripts = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.setup).toBe('scripts/install.sh');
  });

  describe('scripts/install.sh, with a stand-in npm that prints what it was given', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lstm-bot-install-'));
      await mkdir(join(dir, 'bin'));
      // The stand-in npm fetches the libtensorflow archive the way tfjs-node's install script does.
      const npm = join(dir, 'bin', 'npm');
      await writeFile(
        npm,
        `#!/usr/bin/env node
const uri = process.env.TFJS_NODE_BASE_URI;
(uri ? fetch(uri + 'cpu-linux-x86_64-2.9.1.tar.gz').then((r) => r.text()) : Promise.resolve('')).then((archive) =>
  console.log(JSON.stringify({ args: process.argv.slice(2), uri, archive })),
);
`,
      );
      await chmod(npm, 0o755);
      const cache = join(dir, 'cache');
      await mkdir(join(cache, 'tf-2.21.0'), { recursive: true });
      await writeFile(join(cache, 'tf-2.21.0', 'libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz'), 'an archive');
      env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir, LSTM_BOT_CACHE: cache };
    });

    afterEach(async () => removeDir(dir));

    async function install(extraEnv: NodeJS.ProcessEnv = {}) {
      const { stdout } = await run(resolve('scripts/install.sh'), ['--no-audit'], { env: { ...env, ...extraEnv } });
      return JSON.parse(stdout) as { args: string[]; uri?: string; archive: string };
    }

    it('runs npm ci against TFJS_NODE_BASE_URI (a mirror of the archive) when it is set', async () => {
      const mirror = createServer((request, response) => response.end(`mirrored ${request.url}`));
      await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
      try {
        const uri = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/tf/libtensorflow-`;
        expect(await install({ TFJS_NODE_BASE_URI: uri })).toEqual({
          args: ['ci', '--no-audit'],
          uri,
          archive: 'mirrored /tf/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz',
        });
      } finally {
        mirror.close();
      }
    });

    it('falls back to the libtensorflow built from the wheel, served on loopback, where Google storage is unreachable', async () => {
      const reachable = await googleStorageReachable();
      const result = await install();
      expect(result.args).toEqual(['ci', '--no-audit']);
      if (reachable) {
        expect(result.uri).toBeUndefined();
      } else {
        expect(result.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/libtensorflow-$/);
        expect(result.archive).toBe('an archive');
      }
    });
  });
});

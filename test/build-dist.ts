// Vitest global set-up: the end-to-end tests run the compiled `dist/` (bin/lstm-bot.js, the bench and
// chaos entry points), so `npx vitest run` builds it first when it is missing or older than `src/`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of a file under `dir` whose name ends with `suffix` (0: none). */
function newestMtimeMs(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(suffix)) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function buildDist(): void {
  const fresh = existsSync('dist/main/cli.js') && newestMtimeMs('dist', '.js') >= newestMtimeMs('src', '.ts');
  if (fresh) return;
  console.log('building dist/ (missing or older than src/): tsc -p tsconfig.build.json');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}

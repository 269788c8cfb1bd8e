import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const MODEL_CARD_FILE = 'card.json';

export interface FoundModel {
  /** Folder of the model, relative to the searched root. */
  path: string;
  card: Record<string, unknown>;
}

/** Model folders (those holding a model card) under `root`, at most `depth` levels down. */
export async function findModels(root: string, depth = 4): Promise<FoundModel[]> {
  const found: FoundModel[] = [];
  async function visit(dir: string, level: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((entry) => entry.isFile() && entry.name === MODEL_CARD_FILE)) {
      try {
        const card = JSON.parse(await readFile(join(dir, MODEL_CARD_FILE), 'utf8')) as Record<string, unknown>;
        found.push({ path: relative(root, dir) || '.', card });
      } catch {
        found.push({ path: relative(root, dir) || '.', card: { error: 'unreadable model card' } });
      }
      return;
    }
    if (level >= depth) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) await visit(join(dir, entry.name), level + 1);
    }
  }
  await visit(root, 0);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

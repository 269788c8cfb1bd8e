import { readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_CARD_FILE } from './find-models.js';
import { channelModelDir, type ChannelPath, type ModelPaths } from './model-location.js';

export interface ResolvedModel {
  scope: 'channel' | 'base';
  /** Where the store keeps this model (before symlinks): a new version at the same place replaces it. */
  location: string;
  /** Real path of the model folder (symlinks followed). */
  dir: string;
  /** Version from the model card (`version`, else `id`, else `createdAt`), else the card's modification time. */
  version: string;
  /** Cache key: changes whenever a new version is published. */
  key: string;
}

/** Which model serves a channel: its own when one is published, the base model otherwise. */
export class ModelResolver {
  readonly #cache = new Map<string, { at: number; model: ResolvedModel | undefined }>();

  constructor(
    private readonly paths: ModelPaths,
    /** How long a resolution is trusted before the store is looked at again (0: never kept). */
    private readonly checkMs = 2_000,
  ) {}

  /** `undefined` when no model is installed at all (not even the base model). */
  async resolve(channel: ChannelPath): Promise<ResolvedModel | undefined> {
    // The channel key form (`discord/123/456`) the announcements name; ids were checked at the edge.
    const key = `${channel.platform}/${channel.workspace}/${channel.channel}`;
    const cached = this.#cache.get(key);
    if (cached && Date.now() - cached.at < this.checkMs) return cached.model;
    const model =
      (await readModel(channelModelDir(this.paths.modelsDir, channel), 'channel')) ?? (await this.resolveBase());
    if (this.checkMs > 0) this.#cache.set(key, { at: Date.now(), model });
    return model;
  }

  /** The base model (`BASE_MODEL_DIR`, else `MODELS_DIR/base`), read afresh; `undefined` when it is missing or unreadable. */
  resolveBase(): Promise<ResolvedModel | undefined> {
    return readModel(this.paths.baseModelDir, 'base');
  }

  /** Forget what was resolved for one channel key, or for all with `*` (a base model was published). */
  invalidate(key: string): void {
    if (key === '*') this.#cache.clear();
    else this.#cache.delete(key);
  }
}

async function readModel(location: string, scope: ResolvedModel['scope']): Promise<ResolvedModel | undefined> {
  const dir = await modelFolder(location);
  if (!dir) return undefined;
  try {
    const cardPath = join(dir, MODEL_CARD_FILE);
    const [text, info] = await Promise.all([readFile(cardPath, 'utf8'), stat(cardPath)]);
    const card = JSON.parse(text) as { version?: unknown; id?: unknown; createdAt?: unknown; created?: unknown };
    const version = String(card.version ?? card.id ?? card.createdAt ?? card.created ?? info.mtime.toISOString());
    return { scope, location, dir, version, key: `${dir}@${version}@${info.mtimeMs}` };
  } catch {
    return undefined;
  }
}

async function modelFolder(location: string): Promise<string | undefined> {
  try {
    const dir = await realpath(location);
    if (await exists(join(dir, MODEL_CARD_FILE))) return dir;
    const current = join(dir, 'current');
    const info = await stat(current);
    if (info.isDirectory()) return await realpath(current);
    const named = (await readFile(current, 'utf8')).trim();
    return named ? await realpath(join(dir, named)) : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

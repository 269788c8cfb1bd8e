import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { saveModel, type ModelToSave } from './save-model.js';
import { channelModelDir, type ChannelPath } from './model-location.js';

/**
 * The versions of one channel's model in the shared store, in the layout the `ModelResolver` reads:
 * `channels/<platform>/<workspace>/<channel>/versions/<id>/` and a `current` symlink naming one of
 * them. Publishing writes the version aside, then swaps the link atomically (a rename); the last
 * `keep` versions stay for `/retrain rollback`. Version ids sort by time.
 */
export class ChannelModelVersions {
  readonly dir: string;

  constructor(
    modelsDir: string,
    channel: ChannelPath,
    private readonly keep = 3,
  ) {
    this.dir = channelModelDir(modelsDir, channel);
  }

  /** A new, time-ordered version id. */
  static newId(now = new Date()): string {
    return `v${now.toISOString().replace(/[-:.TZ]/g, '')}-${randomBytes(3).toString('hex')}`;
  }

  /** Writes `model` as version `id`, makes it current, prunes old versions; returns the id. */
  async publish(id: string, model: ModelToSave): Promise<string> {
    await saveModel(join(this.dir, 'versions', id), model);
    await this.#point(id);
    await this.#prune(id);
    return id;
  }

  /** The current version's id, or undefined when the channel has no model of its own. */
  async current(): Promise<string | undefined> {
    try {
      return basename(await readlink(join(this.dir, 'current')));
    } catch {
      return undefined;
    }
  }

  /** Stored version ids, oldest first. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'versions'))).filter((name) => !name.startsWith('.')).sort();
    } catch {
      return [];
    }
  }

  /**
   * Makes the version before the current one current and deletes the current one; with no older
   * version, the channel goes back to the base model. Returns the version now current (`base` for
   * the base model), or undefined when there was nothing to roll back.
   */
  async rollback(): Promise<string | undefined> {
    const current = await this.current();
    if (current === undefined) return undefined;
    const older = (await this.list()).filter((id) => id < current);
    const previous = older.at(-1);
    if (previous) await this.#point(previous);
    else await rm(join(this.dir, 'current'), { force: true });
    await rm(join(this.dir, 'versions', current), { recursive: true, force: true });
    return previous ?? 'base';
  }

  /**
   * Deletes every version of the channel's model and what is kept beside them (`/forget channel`). A
   * training cancelled just before may still be writing a checkpoint in the folder: `rm` then meets a
   * folder that is not empty (ENOTEMPTY) and tries again (its `maxRetries`, 100 ms more each time).
   */
  async forget(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  async #point(id: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.current-${randomBytes(4).toString('hex')}`);
    await symlink(join('versions', id), temp);
    await rename(temp, join(this.dir, 'current'));
  }

  async #prune(current: string): Promise<void> {
    const ids = await this.list();
    const excess = ids.filter((id) => id !== current).slice(0, Math.max(0, ids.length - this.keep));
    for (const id of excess) await rm(join(this.dir, 'versions', id), { recursive: true, force: true });
  }

  /** True when the channel folder exists at all. */
  async exists(): Promise<boolean> {
    return lstat(this.dir).then(
      () => true,
      () => false,
    );
  }
}

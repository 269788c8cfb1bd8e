import { join } from 'node:path';

/**
 * A channel as the store files it: the fields of the app's `ChannelRef` (which fits it), declared here
 * so that `model/` imports nothing of the app.
 */
export interface ChannelPath {
  platform: string;
  workspace: string;
  channel: string;
}

/**
 * Where models live in the shared model store (`MODELS_DIR`):
 *
 *   base/                                   the base model (a model folder with card.json), unless
 *                                           `BASE_MODEL_DIR` names another folder (`modelPaths`)
 *   channels/<platform>/<workspace>/<channel>/
 *     card.json ...                         either a model folder itself,
 *     current -> versions/<id>              or a `current` symlink (or a file naming the folder)
 *
 * A channel model is published by writing its folder aside, then renaming it (or the `current`
 * link) into place, then announcing it (`announceModel`); workers also re-check every few seconds.
 * Path segments are URI-encoded so no id can climb out of the store.
 */
export function channelModelDir(modelsDir: string, channel: ChannelPath): string {
  return join(modelsDir, 'channels', ...[channel.platform, channel.workspace, channel.channel].map(segment));
}

/** Where a deployment's models are: the shared store and the base model every channel starts from. */
export interface ModelPaths {
  modelsDir: string;
  baseModelDir: string;
}

/**
 * The one resolution of the model paths from the config: the base model is `BASE_MODEL_DIR` when set,
 * else `MODELS_DIR/base`. Doctor, generation workers, the bot's `/status` and the trainer all use it.
 */
export function modelPaths(config: { MODELS_DIR: string; BASE_MODEL_DIR?: string | undefined }): ModelPaths {
  return { modelsDir: config.MODELS_DIR, baseModelDir: config.BASE_MODEL_DIR ?? join(config.MODELS_DIR, 'base') };
}

function segment(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded === '.' || encoded === '..' ? encodeURIComponent(encoded).replace(/\./g, '%2E') : encoded;
}

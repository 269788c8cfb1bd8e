import { join } from 'node:path';
import type { ChannelRef } from '../commands/channel-ref.js';

/**
 * Where models live in the shared model store (`MODELS_DIR`):
 *
 *   base/                                   the base model (a model folder with card.json)
 *   channels/<platform>/<workspace>/<channel>/
 *     card.json ...                         either a model folder itself,
 *     current -> versions/<id>              or a `current` symlink (or a file naming the folder)
 *
 * A channel model is published by writing its folder aside, then renaming it (or the `current`
 * link) into place, then announcing it (`announceModel`); workers also re-check every few seconds.
 * Path segments are URI-encoded so no id can climb out of the store.
 */
export function channelModelDir(modelsDir: string, channel: ChannelRef): string {
  return join(modelsDir, 'channels', ...[channel.platform, channel.workspace, channel.channel].map(segment));
}

export function baseModelDir(modelsDir: string): string {
  return join(modelsDir, 'base');
}

function segment(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded === '.' || encoded === '..' ? encodeURIComponent(encoded).replace(/\./g, '%2E') : encoded;
}

import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelModelDir, modelPaths } from '../../../../src/model/store/model-location.js';
import { ModelResolver } from '../../../../src/model/store/model-resolver.js';
import { makeModelStore, removeDir, writeModelCard } from '../../../helpers/redis-test-env.js';

const channel = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };

describe('ModelResolver', () => {
  let store: string;
  beforeEach(async () => {
    store = await makeModelStore('base-7');
  });
  afterEach(async () => removeDir(store));

  it('uses the base model for a channel without its own', async () => {
    const model = await new ModelResolver(modelPaths({ MODELS_DIR: store })).resolve(channel);
    expect(model).toMatchObject({ scope: 'base', version: 'base-7' });
  });

  it("follows a channel's `current` link, and sees a new version once invalidated", async () => {
    const dir = channelModelDir(store, channel);
    await writeModelCard(join(dir, 'versions', 'a'), 'chan-1');
    await writeModelCard(join(dir, 'versions', 'b'), 'chan-2');
    await symlink('versions/a', join(dir, 'current'));
    const resolver = new ModelResolver(modelPaths({ MODELS_DIR: store }), 60_000);
    expect(await resolver.resolve(channel)).toMatchObject({ scope: 'channel', version: 'chan-1' });

    await symlink('versions/b', join(dir, 'next'));
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'next'), join(dir, 'current'));
    expect((await resolver.resolve(channel))?.version).toBe('chan-1');
    resolver.invalidate('slack/T1/C1');
    expect((await resolver.resolve(channel))?.version).toBe('chan-2');
  });

  it('accepts a `current` file naming the version folder', async () => {
    const dir = channelModelDir(store, channel);
    await writeModelCard(join(dir, 'v3'), 'chan-3');
    await writeFile(join(dir, 'current'), 'v3\n');
    expect(await new ModelResolver(modelPaths({ MODELS_DIR: store })).resolve(channel)).toMatchObject({
      scope: 'channel',
      version: 'chan-3',
    });
  });

  it('cannot be led out of the store by a channel id', () => {
    const dir = channelModelDir('/models', { platform: 'console', workspace: '..', channel: '../../etc' });
    expect(dir.startsWith('/models/channels/console/')).toBe(true);
    expect(dir).not.toContain('/../');
  });

  it('finds the base model at BASE_MODEL_DIR, outside an empty store, and says where it looked when it is missing', async () => {
    const empty = join(store, 'empty');
    await mkdir(empty);
    const elsewhere = modelPaths({ MODELS_DIR: empty, BASE_MODEL_DIR: join(store, 'base') });
    expect(elsewhere).toEqual({ modelsDir: empty, baseModelDir: join(store, 'base') });
    expect(await new ModelResolver(elsewhere).resolve(channel)).toMatchObject({ scope: 'base', version: 'base-7' });
    expect(modelPaths({ MODELS_DIR: empty }).baseModelDir).toBe(join(empty, 'base'));
    expect(await new ModelResolver(modelPaths({ MODELS_DIR: empty })).resolveBase()).toBeUndefined();
  });

  it('says there is no model when not even the base model exists', async () => {
    const empty = join(store, 'empty');
    await mkdir(empty);
    expect(await new ModelResolver(modelPaths({ MODELS_DIR: empty })).resolve(channel)).toBeUndefined();
  });
});

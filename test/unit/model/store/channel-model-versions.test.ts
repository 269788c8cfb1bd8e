import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../../src/commands/channel-ref.js';
import { loadModel, type LoadedModel } from '../../../../src/model/store/load-model.js';
import { disposeParams } from '../../../../src/model/lstm/lstm-params.js';
import { ChannelModelVersions } from '../../../../src/model/store/channel-model-versions.js';
import { modelPaths } from '../../../../src/model/store/model-location.js';
import { ModelResolver } from '../../../../src/model/store/model-resolver.js';

const channel: ChannelRef = { platform: 'discord', workspace: '1', channel: '2' };

describe('ChannelModelVersions', () => {
  let modelsDir: string;
  let model: LoadedModel;
  beforeEach(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-versions-'));
    model = await loadModel('test/fixtures/models/tiny');
  });
  afterEach(async () => {
    disposeParams(model.params);
    await rm(modelsDir, { recursive: true, force: true });
  });
  const publish = (versions: ChannelModelVersions, id: string): Promise<string> =>
    versions.publish(id, { params: model.params, vocab: model.vocab, card: { ...model.card, id } });

  it('publishes versions the resolver serves, keeps the last few, and rolls back to the previous then the base', async () => {
    const versions = new ChannelModelVersions(modelsDir, channel, 2);
    const resolver = new ModelResolver(modelPaths({ MODELS_DIR: modelsDir }), 0);
    for (const id of ['v1', 'v2', 'v3']) await publish(versions, id);
    expect(await versions.list()).toEqual(['v2', 'v3']);
    expect(await resolver.resolve(channel)).toMatchObject({ scope: 'channel', version: 'v3' });

    expect(await versions.rollback()).toBe('v2');
    expect(await resolver.resolve(channel)).toMatchObject({ scope: 'channel', version: 'v2' });
    expect(await versions.list()).toEqual(['v2']);

    expect(await versions.rollback()).toBe('base');
    expect(await versions.current()).toBeUndefined();
    expect(await versions.rollback()).toBeUndefined();
  });

  it('forgets every version of the channel', async () => {
    const versions = new ChannelModelVersions(modelsDir, channel);
    await publish(versions, 'v1');
    await versions.forget();
    expect(await versions.exists()).toBe(false);
    expect(await versions.current()).toBeUndefined();
  });

  it('makes time-ordered version ids', () => {
    const a = ChannelModelVersions.newId(new Date('2026-01-01T00:00:00Z'));
    const b = ChannelModelVersions.newId(new Date('2026-01-01T00:00:01Z'));
    expect(a < b).toBe(true);
    expect(a).not.toMatch(/[:/]/);
  });
});

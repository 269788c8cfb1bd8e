import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineStatus } from '../../src/generation/pipeline-status.js';
import { ChannelModelVersions } from '../../src/model/store/channel-model-versions.js';
import { channelModelDir } from '../../src/model/store/model-location.js';
import { TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
const dirs: string[] = [];

afterAll(async () => {
  redis.disconnect();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const card = (id: string) => JSON.stringify({ format: 'lstm-bot-model', id });

describe('/status', () => {
  it("shows the model a /retrain rollback went back to at once, even right after showing the channel's own", async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'status-models-'));
    dirs.push(modelsDir);
    await mkdir(join(modelsDir, 'base'));
    await writeFile(join(modelsDir, 'base', 'card.json'), card('base-1'));
    const channel = { platform: 'console', workspace: 'local', channel: 'general' } as const;
    const own = join(channelModelDir(modelsDir, channel), 'versions', 'v1');
    await mkdir(own, { recursive: true });
    await writeFile(join(own, 'card.json'), card('v1'));
    await symlink(join('versions', 'v1'), join(channelModelDir(modelsDir, channel), 'current'));
    const status = new PipelineStatus({
      redis,
      prefix: testPrefix(),
      queueDepth: async () => 0,
      models: { modelsDir, baseModelDir: join(modelsDir, 'base') },
    });

    expect((await status.channelStatus(channel)).model).toEqual({ scope: 'channel', version: 'v1' });
    expect(await new ChannelModelVersions(modelsDir, channel).rollback()).toBe('base');
    expect((await status.channelStatus(channel)).model).toEqual({ scope: 'base', version: 'base-1' });
  });
});

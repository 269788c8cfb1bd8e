import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import type { ChannelStatus, StatusSource } from '../commands/status-source.js';
import { failAsUnavailable } from '../queue/fail-as-unavailable.js';
import { ModelResolver } from '../model/store/model-resolver.js';
import type { ModelPaths } from '../model/store/model-location.js';
import { aliveWorkers } from '../queue/worker-heartbeat.js';

/**
 * `/status` from the shared pieces: queue counts, worker heartbeats and the model store on disk, read
 * afresh at every `/status` (a few small files), never from a cache: a `/retrain rollback` or a model
 * another host published shows at once, not after a worker's `MODEL_CHECK_MS`.
 */
export class PipelineStatus implements StatusSource {
  readonly #resolver: ModelResolver;

  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      queueDepth: () => Promise<number>;
      models: ModelPaths;
    },
  ) {
    this.#resolver = new ModelResolver(deps.models, 0);
  }

  async channelStatus(channel: ChannelRef): Promise<ChannelStatus> {
    const [queueDepth, workers, model] = await Promise.all([
      this.deps.queueDepth(),
      failAsUnavailable(() => aliveWorkers(this.deps.redis, this.deps.prefix)),
      this.#resolver.resolve(channel),
    ]);
    return {
      model: model && { scope: model.scope, version: model.version },
      backends: [...new Set(workers.map((w) => w.backend))].sort(),
      queueDepth,
      workersAlive: workers.length,
    };
  }
}

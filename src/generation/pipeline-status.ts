import type { Redis } from 'ioredis';
import type { ChannelRef } from '../commands/channel-ref.js';
import type { ChannelStatus, StatusSource } from '../commands/status-source.js';
import { failAsUnavailable } from '../queue/fail-as-unavailable.js';
import type { ModelResolver } from '../model/store/model-resolver.js';
import { aliveWorkers } from '../queue/worker-heartbeat.js';

/** `/status` from the shared pieces: queue counts, worker heartbeats and the model store on disk. */
export class PipelineStatus implements StatusSource {
  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      queueDepth: () => Promise<number>;
      resolver: Pick<ModelResolver, 'resolve'>;
    },
  ) {}

  async channelStatus(channel: ChannelRef): Promise<ChannelStatus> {
    const [queueDepth, workers, model] = await Promise.all([
      this.deps.queueDepth(),
      failAsUnavailable(() => aliveWorkers(this.deps.redis, this.deps.prefix)),
      this.deps.resolver.resolve(channel),
    ]);
    return {
      model: model && { scope: model.scope, version: model.version },
      backends: [...new Set(workers.map((w) => w.backend))].sort(),
      queueDepth,
      workersAlive: workers.length,
    };
  }
}

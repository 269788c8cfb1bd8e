import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  backend: string;
  startedAt: number;
}

const TTL_MS = 15_000;
const EVERY_MS = 5_000;

function keys(prefix: string) {
  return { alive: `${prefix}:workers`, info: `${prefix}:workers:info` };
}

/**
 * Each generation worker says it is alive every 5 s (a sorted set scored by expiry plus an info hash);
 * `/status` counts the workers whose last beat is under 15 s old, on any host.
 */
export class WorkerHeartbeat {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly info: WorkerInfo,
  ) {}

  static describe(id: string, backend: string): WorkerInfo {
    return { id, host: hostname(), pid: process.pid, backend, startedAt: Date.now() };
  }

  async start(): Promise<void> {
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat().catch(() => undefined), EVERY_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const k = keys(this.prefix);
    await this.redis.multi().zrem(k.alive, this.info.id).hdel(k.info, this.info.id).exec();
  }

  async #beat(): Promise<void> {
    const k = keys(this.prefix);
    await this.redis
      .multi()
      .zadd(k.alive, Date.now() + TTL_MS, this.info.id)
      .hset(k.info, this.info.id, JSON.stringify(this.info))
      .exec();
  }
}

/** Workers whose heartbeat has not expired; expired ones are cleaned up on the way. */
export async function aliveWorkers(redis: Redis, prefix: string): Promise<WorkerInfo[]> {
  const k = keys(prefix);
  const now = Date.now();
  const expired = await redis.zrangebyscore(k.alive, '-inf', now);
  if (expired.length > 0)
    await redis
      .multi()
      .zrem(k.alive, ...expired)
      .hdel(k.info, ...expired)
      .exec();
  const ids = await redis.zrangebyscore(k.alive, now, '+inf');
  if (ids.length === 0) return [];
  const infos = await redis.hmget(k.info, ...ids);
  return infos.flatMap((raw) => (raw ? [JSON.parse(raw) as WorkerInfo] : []));
}

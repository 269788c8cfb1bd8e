import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../ops/logger.js';
import { CodedError } from '../errors/coded-error.js';

/** An answer a console session waits for (`PendingAnswer` of the console adapter). */
export interface SessionPendingAnswer {
  id: string;
  statusKey?: string;
}

export interface ClaimOptions {
  prefix: string;
  logger: Logger;
  /** `CONSOLE_SESSION`: this session or none (an error when a live console holds it). */
  requested?: string;
  /** How long a lease lives without renewal (renewed every third of it). */
  ttlMs?: number;
  host?: string;
  pid?: number;
  /** Whether a process of this host is alive (a dead owner's lease is taken at once). */
  isAlive?: (pid: number) => boolean;
}

/** Takes `KEYS[1]` from its holder `ARGV[1]` for `ARGV[2]`, for `ARGV[3]` ms, only if it still holds it. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0`;
/**
 * Extends (`ARGV[2]` ms) or, without `ARGV[2]`, deletes `KEYS[1]` if `ARGV[1]` still holds it (1). A
 * renewal finding no holder at all (a Redis that restarted empty, or an outage longer than the lease)
 * holds it again (2); one held by another console returns 0.
 */
const RENEW_OR_RELEASE = `local holder = redis.call('GET', KEYS[1])
  if holder == false and ARGV[2] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
  if holder ~= ARGV[1] then return 0 end
  if ARGV[2] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end return 1`;

/**
 * A console's hold on its session, so that two consoles never share one (each has its own reply
 * queue, `replies-console-<session>`) while a restarted console still gets what was pending for the
 * one before it. Keys under the deployment's prefix:
 * - `console-sessions`: hash of the sessions ever used, session id -> host;
 * - `console-session:<id>:owner`: `host:pid:nonce` of the console holding it, expiring after `ttlMs`
 *   unless renewed (so a session of a console that died frees itself);
 * - `console-session:<id>:pending`: hash of the answers the session waits for.
 * A console takes the first session of its host that nobody holds (those with answers pending first), or
 * one whose holder on this host is a dead process; else it starts a new session `<host>-<random>`.
 * Sessions are reused rather than made per run, so their reply queues do not pile up in Redis.
 */
export class ConsoleSessionLease {
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly settings: Required<Pick<ClaimOptions, 'prefix' | 'logger' | 'ttlMs'>>,
    readonly sessionId: string,
    private readonly owner: string,
  ) {
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(settings.ttlMs / 3)));
    this.#timer.unref();
  }

  static async claim(redis: Redis, options: ClaimOptions): Promise<ConsoleSessionLease> {
    const host = options.host ?? hostname();
    const pid = options.pid ?? process.pid;
    const ttlMs = options.ttlMs ?? 15_000;
    const isAlive = options.isAlive ?? processAlive;
    const settings = { prefix: options.prefix, logger: options.logger, ttlMs };
    const registry = `${settings.prefix}:console-sessions`;
    const owner = `${host}:${pid}:${randomBytes(4).toString('hex')}`;
    const ownerKey = (id: string): string => `${settings.prefix}:console-session:${id}:owner`;

    const take = async (id: string): Promise<boolean> => {
      if ((await redis.set(ownerKey(id), owner, 'PX', ttlMs, 'NX')) === 'OK') return true;
      const holder = await redis.get(ownerKey(id));
      if (holder === null) return (await redis.set(ownerKey(id), owner, 'PX', ttlMs, 'NX')) === 'OK';
      const [holderHost, holderPid] = holder.split(':');
      if (holderHost !== host || isAlive(Number(holderPid))) return false;
      return (await redis.eval(TAKE_OVER, 1, ownerKey(id), holder, owner, ttlMs)) === 1;
    };
    const lease = async (id: string): Promise<ConsoleSessionLease> => {
      await redis.hset(registry, id, host);
      return new ConsoleSessionLease(redis, settings, id, owner);
    };

    if (options.requested !== undefined) {
      if (await take(options.requested)) return lease(options.requested);
      const holder = (await redis.get(ownerKey(options.requested))) ?? '';
      const [holderHost, holderPid] = holder.split(':');
      throw new CodedError(
        'CONSOLE_SESSION_BUSY',
        `console session ${options.requested} is in use by process ${holderPid ?? '?'} on ${holderHost ?? '?'}: ` +
          'leave CONSOLE_SESSION unset (each console then gets its own session) or name another',
      );
    }
    const ours = Object.entries(await redis.hgetall(registry))
      .filter(([, sessionHost]) => sessionHost === host)
      .map(([id]) => id);
    const pendingCounts = await Promise.all(ours.map((id) => redis.hlen(pendingKey(settings.prefix, id))));
    const byPending = ours.map((id, i) => ({ id, pending: pendingCounts[i]! })).sort((a, b) => b.pending - a.pending);
    for (const { id } of byPending) if (await take(id)) return lease(id);
    for (;;) {
      const id = `${host.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50)}-${randomBytes(3).toString('hex')}`;
      if (await take(id)) return lease(id);
    }
  }

  /** The session's pending answers in Redis, for the console of this session and the next. */
  get pendingStore(): {
    list(): Promise<SessionPendingAnswer[]>;
    add(answer: SessionPendingAnswer): Promise<void>;
    remove(id: string): Promise<void>;
  } {
    const key = pendingKey(this.settings.prefix, this.sessionId);
    return {
      list: async () =>
        Object.entries(await this.redis.hgetall(key)).map(([id, statusKey]) =>
          statusKey ? { id, statusKey } : { id },
        ),
      add: async (answer) => void (await this.redis.hset(key, answer.id, answer.statusKey ?? '')),
      remove: async (id) => void (await this.redis.hdel(key, id)),
    };
  }

  /** Lets the session go: the next console of this host takes it (and prints what is still pending). */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.redis.eval(RENEW_OR_RELEASE, 1, this.#ownerKey(), this.owner);
  }

  async #renew(): Promise<void> {
    try {
      const held = await this.redis.eval(RENEW_OR_RELEASE, 1, this.#ownerKey(), this.owner, this.settings.ttlMs);
      if (held === 2)
        this.settings.logger.info({ session: this.sessionId }, 'console session held again (Redis had lost it)');
      else if (held !== 1) {
        this.settings.logger.warn({ session: this.sessionId }, 'another console took over this console session');
        clearInterval(this.#timer);
      }
    } catch (error) {
      this.settings.logger.warn({ err: error, session: this.sessionId }, 'could not renew the console session');
    }
  }

  #ownerKey(): string {
    return `${this.settings.prefix}:console-session:${this.sessionId}:owner`;
  }
}

function pendingKey(prefix: string, sessionId: string): string {
  return `${prefix}:console-session:${sessionId}:pending`;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

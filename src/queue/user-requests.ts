import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef, type Platform } from '../commands/channel-ref.js';
import { GENERATE_QUEUE, replyJobId } from './queue-names.js';

/** Longer than any job of a request is kept (failed jobs: a day). */
const KEPT_MS = 2 * 86_400_000;

/** One request of a user, as the index remembers it. */
interface IndexedRequest {
  /** The generate job's id. */
  id: string;
  /** Its reply queue (`replyQueueName`). */
  replies: string;
  workspace: string;
}

/**
 * Which queued requests each user made, so that `/forget me` can find their prompts and answers in
 * the queues: the sorted set `<prefix>:user-requests:<platform>/<user>` (by request time, two days)
 * of each `generate` job's id, reply queue and workspace. `scrub` blanks the prompt of the user's
 * finished `generate` jobs and the text of their finished reply jobs (kept an hour, failed ones a day,
 * for duplicate detection and inspection); a request still waiting or in flight keeps its text until
 * it is answered, and stays in the index for the next `/forget me`.
 */
export class UserRequests {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(platform: Platform, userId: string, request: IndexedRequest): Promise<void> {
    await this.#add(this.#key(platform, userId), request);
  }

  /**
   * The same index for the channel the request was made in (`<prefix>:channel-requests:<channel key>`),
   * so that `/forget channel` finds the channel's prompts and answers too (`scrubChannel`).
   */
  async recordChannel(channel: ChannelRef, request: IndexedRequest): Promise<void> {
    await this.#add(this.#channelKey(channel), request);
  }

  /** Blanks the texts of the channel's finished requests (as `scrub` a user's); resolves with how many. */
  async scrubChannel(channel: ChannelRef): Promise<number> {
    return (await this.#scrubIndex(this.#channelKey(channel))).scrubbed;
  }

  async #add(key: string, request: IndexedRequest): Promise<void> {
    const now = this.now();
    await this.redis
      .multi()
      .zadd(key, now, JSON.stringify(request))
      .zremrangebyscore(key, '-inf', now - KEPT_MS)
      .pexpire(key, KEPT_MS)
      .exec();
  }

  /** Blanks the texts of the user's finished requests; resolves with the workspaces they were made in. */
  async scrub(platform: Platform, userId: string): Promise<{ scrubbed: number; workspaces: Set<string> }> {
    return this.#scrubIndex(this.#key(platform, userId));
  }

  async #scrubIndex(key: string): Promise<{ scrubbed: number; workspaces: Set<string> }> {
    const members = await this.redis.zrange(key, 0, -1);
    const queues = new Map<string, Queue>();
    const queue = (name: string) => {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection: this.redis, prefix: this.prefix });
        q.on('error', () => undefined);
        queues.set(name, q);
      }
      return q;
    };
    const workspaces = new Set<string>();
    let scrubbed = 0;
    try {
      for (const member of members) {
        const request = parseMember(member);
        if (!request) {
          await this.redis.zrem(key, member);
          continue;
        }
        workspaces.add(request.workspace);
        const prompt = await scrubJob(queue(GENERATE_QUEUE), request.id, (data) => ({ ...data, prompt: '' }));
        const answer = await scrubJob(queue(request.replies), replyJobId(request.id), (data) => ({
          ...data,
          reply: { ...(data.reply as object), text: '' },
        }));
        if (prompt === 'scrubbed' || answer === 'scrubbed') scrubbed += 1;
        if (prompt !== 'pending' && answer !== 'pending') await this.redis.zrem(key, member);
      }
    } finally {
      await Promise.all([...queues.values()].map((q) => q.close()));
    }
    return { scrubbed, workspaces };
  }

  #key(platform: Platform, userId: string): string {
    return `${this.prefix}:user-requests:${platform}/${userId}`;
  }

  #channelKey(channel: ChannelRef): string {
    return `${this.prefix}:channel-requests:${channelKey(channel)}`;
  }
}

/** Rewrites a finished job's data; a job not there (removed, or not yet added) has nothing to scrub. */
async function scrubJob(
  queue: Queue,
  id: string,
  blank: (data: Record<string, unknown>) => Record<string, unknown>,
): Promise<'scrubbed' | 'absent' | 'pending'> {
  const job = await Job.fromId(queue, id);
  if (!job) return 'absent';
  const state = await job.getState();
  if (state !== 'completed' && state !== 'failed') return 'pending';
  await job.updateData(blank(job.data as Record<string, unknown>));
  return 'scrubbed';
}

function parseMember(member: string): IndexedRequest | undefined {
  try {
    const parsed = JSON.parse(member) as Partial<IndexedRequest>;
    return typeof parsed.id === 'string' && typeof parsed.replies === 'string' && typeof parsed.workspace === 'string'
      ? (parsed as IndexedRequest)
      : undefined;
  } catch {
    return undefined;
  }
}

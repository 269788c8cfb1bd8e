import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelKey, type ChannelRef, type Platform } from '../commands/channel-ref.js';
import type { ReplyAddress, StatusUpdate } from '../commands/reply-address.js';
import type { TrainingControl, TrainRequestResult } from '../commands/training-control.js';
import type { RedisHistoryStore } from '../history/redis-history-store.js';
import type { RedisRecentReplies } from '../history/recent-replies.js';
import { failAsUnavailable } from '../queue/fail-as-unavailable.js';
import { renderReply } from '../replies/reply-catalogue.js';
import type { ReplyOutbox } from '../queue/reply-outbox.js';
import { UserRequests } from '../queue/user-requests.js';
import { UserError } from '../replies/user-error.js';
import { TRAIN_QUEUE, trainJobId, trainJobOptions, trainJobSchema } from '../queue/train-job.js';
import { ChannelModelVersions } from '../model/store/channel-model-versions.js';
import { announceModel } from '../queue/model-announcements.js';
import { LAST_STATE, trainingStatusJobId, trainingStatusReply } from './training-status-reply.js';

/** `/forget me` runs at most this often per user. */
const FORGET_ME_EVERY_MS = 60_000;

/** The key a running training polls to learn it was cancelled (value: the request id). */
export function trainCancelKey(prefix: string, channel: ChannelRef): string {
  return `${prefix}:train-cancel:${channelKey(channel)}`;
}

export interface RedisTrainingControlOptions {
  redis: Redis;
  prefix: string;
  history: RedisHistoryStore;
  /** The bot's remembered replies per channel (`/forget channel` deletes the channel's). */
  recentReplies: Pick<RedisRecentReplies, 'forgetChannel'>;
  modelsDir: string;
  keepVersions: number;
  /** Where the first state of a request's status message goes (a fail-fast connection's outbox). */
  outbox: ReplyOutbox;
}

/** `TrainingControl` over the `train` queue, the shared model store and the Redis history store. */
export class RedisTrainingControl implements TrainingControl {
  #queue: Queue | undefined;

  constructor(private readonly options: RedisTrainingControlOptions) {}

  /** The `train` queue, opened on first use (a bot that is never asked to retrain sends nothing). */
  get queue(): Queue {
    if (!this.#queue) {
      this.#queue = new Queue(TRAIN_QUEUE, {
        connection: this.options.redis,
        prefix: this.options.prefix,
        defaultJobOptions: trainJobOptions,
      });
      this.#queue.on('error', () => undefined);
    }
    return this.#queue;
  }

  storedMessages(channel: ChannelRef): Promise<number> {
    return failAsUnavailable(() => this.options.history.count(channel));
  }

  async request(r: {
    channel: ChannelRef;
    userId: string;
    messages: number;
    replyTo: ReplyAddress;
    live?: true;
  }): Promise<TrainRequestResult> {
    const requestId = randomUUID();
    const data = trainJobSchema.parse({ v: 1, requestId, ...r, requestedAt: Date.now() });
    const jobId = trainJobId(r.channel);
    // BullMQ adds nothing when the id exists; the stored job's data tells whose request it is.
    await failAsUnavailable(() => this.queue.add('retrain', data, { jobId }));
    const job = await failAsUnavailable(() => this.queue.getJob(jobId));
    if (job && (job.data as { requestId?: string }).requestId !== requestId) {
      const state = await job.getState();
      return { status: 'already', state: state === 'active' ? 'running' : 'queued' };
    }
    // Oldest first, the order trainers take them in (`TrainQueuePositions` counts the same way).
    const waiting = await this.queue.getWaiting();
    const index = waiting.findIndex((w) => w.id === jobId);
    return { status: 'queued', jobId, requestId, position: index < 0 ? 1 : index + 1 };
  }

  async showStatus(
    requestId: string,
    replyTo: ReplyAddress,
    text: string,
  ): Promise<{ pendingJobId: string; status: StatusUpdate }> {
    const first = trainingStatusReply({ requestId, replyTo, requestedAt: Date.now() }, { kind: 'queued' }, text);
    await failAsUnavailable(() => this.options.outbox.post(first));
    const { key, stage } = first.status!;
    return { pendingJobId: trainingStatusJobId(requestId, 'end'), status: { key, stage } };
  }

  async cancel(channel: ChannelRef): Promise<'removed' | 'signalled' | 'none'> {
    const job = await failAsUnavailable(() => this.queue.getJob(trainJobId(channel)));
    if (!job) return 'none';
    const state = await job.getState();
    if (state !== 'active') {
      try {
        await job.remove();
        await this.#endStatus(job.data, job.attemptsMade);
        return 'removed';
      } catch {
        // It was taken by a trainer meanwhile: signal it instead.
      }
    }
    if (state === 'completed' || state === 'failed') return 'none';
    const requestId = (job.data as { requestId: string }).requestId;
    await this.options.redis.set(trainCancelKey(this.options.prefix, channel), requestId, 'EX', 3_600);
    return 'signalled';
  }

  /**
   * No trainer will end the status message of a request removed while waiting: end it here, as an
   * answer (a cancel asked for is no failure).
   */
  async #endStatus(data: unknown, attemptsMade: number): Promise<void> {
    const parsed = trainJobSchema.safeParse(data);
    if (!parsed.success) return;
    const step = { kind: 'end', attempt: attemptsMade + 1, n: LAST_STATE, failed: false } as const;
    await this.options.outbox.post(trainingStatusReply(parsed.data, step, renderReply('retrain.cancelled')));
  }

  async rollback(channel: ChannelRef): Promise<string | undefined> {
    const to = await new ChannelModelVersions(this.options.modelsDir, channel, this.options.keepVersions).rollback();
    if (to !== undefined) await announceModel(this.options.redis, this.options.prefix, channelKey(channel));
    return to;
  }

  async forgetChannel(channel: ChannelRef): Promise<void> {
    await this.cancel(channel);
    await this.options.history.forgetChannel(channel);
    await this.options.recentReplies.forgetChannel(channel);
    await new UserRequests(this.options.redis, this.options.prefix).scrubChannel(channel);
    await new ChannelModelVersions(this.options.modelsDir, channel).forget();
    await announceModel(this.options.redis, this.options.prefix, channelKey(channel));
  }

  /**
   * `/forget me`, at most once a minute per user (`<prefix>:forget-me:<platform>/<user>`, across bot
   * processes): blanks the user's prompts and answers kept in finished jobs of the `generate` and reply
   * queues (`UserRequests`), then removes their stored messages in every workspace of the platform
   * and opts them out there (`RedisHistoryStore.forgetUser`).
   */
  async forgetUser(platform: Platform, workspace: string, userId: string): Promise<number> {
    const key = `${this.options.prefix}:forget-me:${platform}/${userId}`;
    const first = await failAsUnavailable(() => this.options.redis.set(key, '1', 'PX', FORGET_ME_EVERY_MS, 'NX'));
    if (first === null) {
      const leftMs = await failAsUnavailable(() => this.options.redis.pttl(key));
      throw new UserError('forget.tooSoon', { seconds: Math.max(1, Math.ceil(leftMs / 1000)) });
    }
    return failAsUnavailable(async () => {
      const { workspaces } = await new UserRequests(this.options.redis, this.options.prefix).scrub(platform, userId);
      return this.options.history.forgetUser(platform, workspace, userId, workspaces);
    });
  }

  async close(): Promise<void> {
    await this.#queue?.close();
  }
}

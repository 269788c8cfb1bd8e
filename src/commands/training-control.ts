import type { ChannelRef, Platform } from './channel-ref.js';
import type { ReplyAddress, StatusUpdate } from './reply-address.js';

export type TrainRequestResult =
  | { status: 'queued'; jobId: string; requestId: string; position: number }
  | { status: 'already'; state: 'queued' | 'running' };

/** What `/retrain` and `/forget` need from the training side (queue, model store, stored history). */
export interface TrainingControl {
  /** Stored messages of the channel (imported or collected). */
  storedMessages(channel: ChannelRef): Promise<number>;
  request(request: {
    channel: ChannelRef;
    userId: string;
    messages: number;
    replyTo: ReplyAddress;
    /** The channel learns live: train on its stored messages only, read nothing from the platform, keep them. */
    live?: true;
  }): Promise<TrainRequestResult>;
  /**
   * Shows `text` as the first state of a queued request's status message (through the reply queue,
   * so it comes before the trainer's states); returns the id the request's final state is delivered
   * under, for the adapter to wait on (`CommandOutcome.pendingJobId`), and the status message's key.
   */
  showStatus(
    requestId: string,
    replyTo: ReplyAddress,
    text: string,
  ): Promise<{ pendingJobId: string; status: StatusUpdate }>;
  /** `removed`: it was waiting; `signalled`: it is running and will stop; `none`: nothing to cancel. */
  cancel(channel: ChannelRef): Promise<'removed' | 'signalled' | 'none'>;
  /** The version now serving (`base` for the base model), or undefined when there was nothing to undo. */
  rollback(channel: ChannelRef): Promise<string | undefined>;
  /** Deletes the channel's model versions and stored messages; cancels its training. */
  forgetChannel(channel: ChannelRef): Promise<void>;
  /**
   * Removes the user's stored messages (in every workspace of the platform) and the texts of their
   * finished requests in the queues, and opts them out of future training; rate limited per user
   * (`UserError` `forget.tooSoon`).
   */
  forgetUser(platform: Platform, workspace: string, userId: string): Promise<number>;
}

import type { ChannelRef } from './channel-ref.js';

export interface ChannelStatus {
  /** Model version that serves this channel: its own model, or the base model. */
  modelVersion: string;
  /** TensorFlow backend of the live workers (`tensorflow` = native). */
  backend: string;
  queueDepth: number;
  workersAlive: number;
}

/** What `/status` reports, gathered from the queue, the worker heartbeats and the model store. */
export interface StatusSource {
  channelStatus(channel: ChannelRef): Promise<ChannelStatus>;
}

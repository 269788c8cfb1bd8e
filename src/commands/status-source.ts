import type { ChannelRef } from './channel-ref.js';

export interface ChannelStatus {
  /** The model that serves this channel: its own, or the base model; `undefined` when none is installed. */
  model: { scope: 'channel' | 'base'; version: string } | undefined;
  /** TensorFlow backends of the live workers (`tensorflow` = native); empty when no worker is alive. */
  backends: string[];
  queueDepth: number;
  workersAlive: number;
}

/** What `/status` reports, gathered from the queue, the worker heartbeats and the model store. */
export interface StatusSource {
  channelStatus(channel: ChannelRef): Promise<ChannelStatus>;
}

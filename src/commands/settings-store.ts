import type { ChannelRef } from './channel-ref.js';
import type { ChannelSwitch } from './chat-command.js';

/** What a channel has changed from the defaults; absent fields use the deployment's defaults. */
export interface ChannelSettings {
  temperature?: number;
  /** Whether messages that mention the bot are answered (off unless a channel manager turned it on). */
  mentions?: boolean;
  /** Whether a continuation reads the channel's recent stored messages first (off unless turned on). */
  context?: boolean;
}

/** Per-channel settings, keyed by platform, workspace and channel. */
export interface SettingsStore {
  get(channel: ChannelRef): Promise<ChannelSettings>;
  setTemperature(channel: ChannelRef, value: number): Promise<void>;
  resetTemperature(channel: ChannelRef): Promise<void>;
  /** Turns one of the channel's on/off settings on or off (off is the default). */
  setSwitch(channel: ChannelRef, setting: ChannelSwitch, enabled: boolean): Promise<void>;
}

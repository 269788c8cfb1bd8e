import type { ChannelRef } from './channel-ref.js';

/** What a channel has changed from the defaults; absent fields use the deployment's defaults. */
export interface ChannelSettings {
  temperature?: number;
  /** Whether messages that mention the bot are answered (off unless a channel manager turned it on). */
  mentions?: boolean;
  /** Whether "Continue this message" (Discord's message command, Slack's shortcut) is answered. */
  continueMessage?: boolean;
}

/** Per-channel settings, keyed by platform, workspace and channel. */
export interface SettingsStore {
  get(channel: ChannelRef): Promise<ChannelSettings>;
  setTemperature(channel: ChannelRef, value: number): Promise<void>;
  resetTemperature(channel: ChannelRef): Promise<void>;
  setMentions(channel: ChannelRef, enabled: boolean): Promise<void>;
  setContinueMessage(channel: ChannelRef, enabled: boolean): Promise<void>;
}

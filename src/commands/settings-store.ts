import type { ChannelRef } from './channel-ref.js';
import type { ChannelSwitch } from './chat-command.js';

/**
 * What a channel has changed from the defaults; absent fields use the deployment's defaults. Each on/off
 * setting (`mentions`, `continue_message`, `context`) is `true` where a channel manager turned it on.
 */
export interface ChannelSettings extends Partial<Record<ChannelSwitch, boolean>> {
  temperature?: number;
  /** The fewest words a continuation writes before it may end (else the deployment's `MIN_WORDS`). */
  minWords?: number;
  /** The chance (0 to 0.2) that the bot answers a message here unprompted; absent or 0 is off. */
  chatter?: number;
}

/** The numeric settings, by their field in `ChannelSettings`. */
export type ChannelNumber = 'temperature' | 'minWords' | 'chatter';

/** Per-channel settings, keyed by platform, workspace and channel. */
export interface SettingsStore {
  get(channel: ChannelRef): Promise<ChannelSettings>;
  setTemperature(channel: ChannelRef, value: number): Promise<void>;
  resetTemperature(channel: ChannelRef): Promise<void>;
  /** Turns one of the channel's on/off settings on or off (off is the default). */
  setSwitch(channel: ChannelRef, setting: ChannelSwitch, enabled: boolean): Promise<void>;
  /** Sets one of the channel's numeric settings, or removes it (`undefined`: the default again). */
  setNumber(channel: ChannelRef, setting: ChannelNumber, value: number | undefined): Promise<void>;
}

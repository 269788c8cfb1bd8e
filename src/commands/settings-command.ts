import type { ChannelSwitch, ChatCommand } from './chat-command.js';
import { checkRights } from './check-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { SettingsStore } from './settings-store.js';
import { renderReply } from '../replies/reply-catalogue.js';

export interface SettingsDeps {
  settings: SettingsStore;
  limits: CommandLimits;
}

const switchReplies = {
  mentions: { on: 'settings.mentionsOn', off: 'settings.mentionsOff' },
  context: { on: 'settings.contextOn', off: 'settings.contextOff' },
} as const satisfies Record<ChannelSwitch, { on: string; off: string }>;

/**
 * `/settings` shows this channel's settings (everyone); `/settings mentions on|off` turns answering
 * mentions of the bot on or off, `/settings context on|off` priming continuations with the channel's
 * recent stored messages (channel managers, announced in the channel).
 */
export async function settingsCommand(
  deps: SettingsDeps,
  command: Extract<ChatCommand, { name: 'settings' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.action === 'show') {
    const { temperature, mentions, context: primed } = await deps.settings.get(context.channel);
    const text = renderReply('settings.show', {
      temperature: temperature ?? deps.limits.defaultTemperature,
      temperatureIsDefault: temperature === undefined,
      minWords: deps.limits.defaultMinWords,
      mentions: mentions ?? false,
      context: primed ?? false,
    });
    return { text, visibility: 'private' };
  }
  checkRights(command, context.caller);
  await deps.settings.setSwitch(context.channel, command.action, command.enabled);
  const key = switchReplies[command.action][command.enabled ? 'on' : 'off'];
  return { text: renderReply(key), visibility: 'public' };
}

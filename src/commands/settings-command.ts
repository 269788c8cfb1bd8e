import type { ChatCommand } from './chat-command.js';
import { checkRights } from './check-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { SettingsStore } from './settings-store.js';
import { renderReply } from '../replies/reply-catalogue.js';

export interface SettingsDeps {
  settings: SettingsStore;
  limits: CommandLimits;
}

/**
 * `/settings` shows this channel's settings (everyone); `/settings mentions on|off` turns answering
 * mentions of the bot on or off, `/settings continue_message on|off` "Continue this message" (channel
 * managers, announced in the channel).
 */
export async function settingsCommand(
  deps: SettingsDeps,
  command: Extract<ChatCommand, { name: 'settings' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.action === 'show') {
    const { temperature, mentions, continueMessage } = await deps.settings.get(context.channel);
    const text = renderReply('settings.show', {
      temperature: temperature ?? deps.limits.defaultTemperature,
      temperatureIsDefault: temperature === undefined,
      minWords: deps.limits.defaultMinWords,
      mentions: mentions ?? false,
      continueMessage: continueMessage ?? false,
    });
    return { text, visibility: 'private' };
  }
  checkRights(command, context.caller);
  if (command.action === 'mentions') {
    await deps.settings.setMentions(context.channel, command.enabled);
    return {
      text: renderReply(command.enabled ? 'settings.mentionsOn' : 'settings.mentionsOff'),
      visibility: 'public',
    };
  }
  await deps.settings.setContinueMessage(context.channel, command.enabled);
  const announced = command.enabled ? 'settings.continueMessageOn' : 'settings.continueMessageOff';
  return { text: renderReply(announced), visibility: 'public' };
}

import type { ChatCommand } from './chat-command.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { SettingsStore } from './settings-store.js';
import { checkBounds, checkRights } from './check-command.js';
import { renderReply } from '../replies/reply-catalogue.js';

export interface TemperatureDeps {
  settings: SettingsStore;
  limits: CommandLimits;
}

/** `/temperature` shows (everyone), `/temperature <0..2>` sets and `/temperature reset` resets (managers). */
export async function temperatureCommand(
  deps: TemperatureDeps,
  command: Extract<ChatCommand, { name: 'temperature' }>,
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.action === 'show') {
    const { temperature } = await deps.settings.get(context.channel);
    const value = temperature ?? deps.limits.defaultTemperature;
    return {
      text: renderReply('temperature.show', { value, isDefault: temperature === undefined }),
      visibility: 'public',
    };
  }
  checkRights(command, context.caller);
  if (command.action === 'reset') {
    await deps.settings.resetTemperature(context.channel);
    return { text: renderReply('temperature.reset', { value: deps.limits.defaultTemperature }), visibility: 'public' };
  }
  checkBounds(command, deps.limits);
  await deps.settings.setTemperature(context.channel, command.value);
  return { text: renderReply('temperature.set', { value: command.value }), visibility: 'public' };
}

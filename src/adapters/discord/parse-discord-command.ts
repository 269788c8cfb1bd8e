import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { ChatCommand } from '../../commands/chat-command.js';
import {
  continueMessagePolicy,
  optionRule,
  SETTINGS_SWITCHES,
  SETTINGS_VALUES,
} from '../../commands/command-policy.js';

/**
 * Turns a slash command's options into a `ChatCommand`, by the option names of the command policy;
 * `undefined` for a command or subcommand we do not define (a stale registration). Only the shape is
 * read here: the bounds are checked by `checkBounds`, since Discord enforces the declared limits only
 * for commands registered with them, and registrations go stale.
 */
export function parseDiscordCommand(interaction: ChatInputCommandInteraction): ChatCommand | undefined {
  const options = interaction.options;
  const sub = options.getSubcommand(false);
  switch (interaction.commandName) {
    case 'continue': {
      const read = (field: 'temperature' | 'words' | 'minWords') => {
        const rule = optionRule('continue', field);
        const value = rule.type === 'number' ? options.getNumber(rule.name) : options.getInteger(rule.name);
        return value === null ? {} : { [field]: value };
      };
      const prompt = (options.getString(optionRule('continue', 'prompt').name) ?? '').trim();
      return { name: 'continue', prompt, ...read('temperature'), ...read('words'), ...read('minWords') };
    }
    case 'temperature':
      if (sub === 'show' || sub === 'reset') return { name: 'temperature', action: sub };
      if (sub === 'set') {
        const value = options.getNumber(optionRule('temperature', 'value', 'set').name);
        return { name: 'temperature', action: 'set', value: value ?? Number.NaN };
      }
      return undefined;
    case 'status':
      return { name: 'status' };
    case 'retrain': {
      if (sub === 'cancel' || sub === 'rollback') return { name: 'retrain', action: sub };
      if (sub !== 'start') return undefined;
      const messages = options.getInteger(optionRule('retrain', 'messages', 'start').name);
      return { name: 'retrain', action: 'start', ...(messages === null ? {} : { messages }) };
    }
    case 'forget':
      return sub === 'channel' || sub === 'me' ? { name: 'forget', scope: sub } : undefined;
    case 'settings':
      return parseSettings(interaction);
    default:
      return undefined;
  }
}

/** `/settings show`, a switch with its `state`, or a numeric setting with its optional value (none: reset). */
function parseSettings(interaction: ChatInputCommandInteraction): ChatCommand | undefined {
  const options = interaction.options;
  const sub = options.getSubcommand(false);
  if (sub === 'show') return { name: 'settings', action: 'show' };
  const valueAction = SETTINGS_VALUES.find((name) => name === sub);
  if (valueAction) {
    const rule = optionRule('settings', 'value', valueAction);
    const value = rule.type === 'integer' ? options.getInteger(rule.name) : options.getNumber(rule.name);
    return { name: 'settings', action: valueAction, ...(value !== null && { value }) };
  }
  const action = SETTINGS_SWITCHES.find((name) => name === sub);
  const state = action ? options.getString(optionRule('settings', 'enabled', action).name) : null;
  return action && (state === 'on' || state === 'off')
    ? { name: 'settings', action, enabled: state === 'on' }
    : undefined;
}

/**
 * "Continue this message": the chosen message's text (Discord sends it with the interaction, without the
 * Message Content intent) as the prompt of a `/continue`; `undefined` for a message command we do not define.
 */
export function parseMessageCommand(interaction: MessageContextMenuCommandInteraction): ChatCommand | undefined {
  if (interaction.commandName !== continueMessagePolicy.name) return undefined;
  return { name: 'continue', prompt: interaction.targetMessage.content.trim(), via: 'message' };
}

import { UserError } from '../replies/user-error.js';
import type { Caller } from './caller.js';
import type { ChatCommand } from './chat-command.js';
import type { CommandLimits } from './command-limits.js';
import {
  actionRule,
  boundValue,
  commandPolicy,
  optionRule,
  type CommandRule,
  type OptionField,
  type OptionRule,
  type RangeRefusal,
  type Right,
} from './command-policy.js';
import { MAX_CODE_UNITS_PER_PROMPT_CHAR, promptChars } from './prompt-chars.js';

/** The refusal for a number out of its option's bounds, unless the option names its own (`outOfRange`). */
const OUT_OF_RANGE: Readonly<Record<Exclude<OptionField, 'prompt' | 'enabled'>, RangeRefusal>> = {
  temperature: 'temperature.outOfRange',
  value: 'temperature.outOfRange',
  words: 'continue.badWords',
  minWords: 'continue.badMinWords',
  messages: 'retrain.badMessages',
};

export function hasRight(caller: Caller, right: Right): boolean {
  if (right === 'manageChannel') return caller.canManageChannel;
  if (right === 'manageWorkspace') return caller.canManageWorkspace;
  return true;
}

/**
 * The policy's precondition: refuses (`UserError` with the command's `forbidden` key) a caller
 * without the right the asked action needs.
 */
export function checkRights(command: ChatCommand, caller: Caller): void {
  if (hasRight(caller, actionRule(command).right)) return;
  const rule: CommandRule = commandPolicy[command.name];
  if (!rule.forbidden) throw new Error(`the policy of /${command.name} restricts it but names no refusal`);
  throw new UserError(rule.forbidden);
}

/**
 * The policy's bounds, checked for every option the command carries (`UserError` naming the range).
 * A `/continue`'s prompt is counted in characters as users see them (`promptChars`: an emoji is one;
 * only NUL or zero-width spaces are none); its `minWords` is at most its `words` (or the default word
 * count when none is asked); a `/settings` value left out (back to the default) has nothing to check.
 */
export function checkBounds(command: ChatCommand, limits: CommandLimits): void {
  if (command.name === 'continue') {
    const prompt = optionRule('continue', 'prompt');
    const maxChars = boundValue(prompt.max, limits);
    // Bounded before it is counted: more code units than this is too long, whatever it shows.
    const tooLong = command.prompt.trim().length > maxChars * MAX_CODE_UNITS_PER_PROMPT_CHAR;
    const chars = tooLong ? Number.POSITIVE_INFINITY : promptChars(command.prompt);
    if (chars < prompt.min) throw new UserError('continue.emptyPrompt');
    if (chars > maxChars) throw new UserError('continue.promptTooLong', { maxChars });
    checkOptional(optionRule('continue', 'temperature'), command.temperature, limits);
    checkOptional(optionRule('continue', 'words'), command.words, limits);
    const minWords = optionRule('continue', 'minWords');
    if (command.minWords !== undefined) checkNumber(minWords, command.minWords, command.words ?? limits.defaultWords);
  } else if (command.name === 'temperature' && command.action === 'set') {
    checkOptional(optionRule('temperature', 'value', 'set'), command.value, limits);
  } else if (command.name === 'retrain' && command.action === 'start') {
    checkOptional(optionRule('retrain', 'messages', 'start'), command.messages, limits);
  } else if (command.name === 'settings' && 'value' in command) {
    checkOptional(optionRule('settings', 'value', command.action), command.value, limits);
  }
}

/** Refuses `value` unless it is a number of the option's type from its `min` to `max`. */
export function checkNumber(option: OptionRule, value: number, max: number): void {
  const whole = option.type !== 'integer' || Number.isInteger(value);
  if (Number.isFinite(value) && whole && value >= option.min && value <= max) return;
  if (option.field === 'prompt' || option.field === 'enabled') throw new Error(`${option.name} is not a number`);
  throw new UserError(option.outOfRange ?? OUT_OF_RANGE[option.field], { min: option.min, max });
}

function checkOptional(option: OptionRule, value: number | undefined, limits: CommandLimits): void {
  if (value !== undefined) checkNumber(option, value, boundValue(option.max, limits));
}

import type { ChannelSwitch, ChannelValue, ChatCommand, ChatCommandName } from './chat-command.js';
import {
  chatterRange,
  commandPolicy,
  SETTINGS_SWITCHES,
  SETTINGS_VALUES,
  temperatureRange,
  type CommandRule,
  type OptionRule,
} from './command-policy.js';

/** `0..2`: the temperatures every command accepts, as usage lines write them. */
export const temperatureUsage = `${temperatureRange.min}..${temperatureRange.max}`;

/** `0..0.2`: the chatter chances `/settings chatter` accepts, as usage lines write them. */
export const chatterUsage = `${chatterRange.min}..${chatterRange.max}`;

/**
 * `['temperature [0..2]', ..., 'mentions on|off', ...]`: what may follow `/settings` to change a setting,
 * from the policy's usage (without angle brackets, which Slack would show escaped).
 */
export function settingsForms(): string[] {
  const rule: CommandRule = commandPolicy.settings;
  return Object.values(rule.subcommands ?? {}).flatMap((action) =>
    action.usage ? [action.usage.replace(/[<>]/g, '')] : [],
  );
}

/** `0.5`, `1`, `.5`, `-1` as numbers (the handlers judge the range); not `1e3`, `0x1` or `NaN`. */
export function parseDecimal(text: string): number | undefined {
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : undefined;
}

/** The options of a command's only action that text commands write as flags (`--words N`). */
function flagOptions(name: ChatCommandName): readonly OptionRule[] {
  const rule: CommandRule = commandPolicy[name];
  return (rule.action?.options ?? []).filter((option) => option.flags.length > 0);
}

/**
 * `[--temperature 0..2] [--words N] [--min-words N]`: a command's flags as usage lines show them,
 * from the policy; a decimal option shows its range unless `decimalPlaceholder` is given (`T`).
 */
export function flagsUsage(name: ChatCommandName, decimalPlaceholder?: string): string {
  return flagOptions(name)
    .map((option) => {
      const value = option.type === 'integer' ? 'N' : (decimalPlaceholder ?? `${option.min}..${option.max}`);
      return `[${option.flags[0]} ${value}]`;
    })
    .join(' ');
}

/** Which option of a command each of its flags sets (`--temperature` -> the temperature option). */
export function flagTable(name: ChatCommandName): ReadonlyMap<string, OptionRule> {
  return new Map(flagOptions(name).flatMap((option) => option.flags.map((flag) => [flag, option] as const)));
}

/**
 * The words after `/settings` as Slack and the console take them: nothing shows the settings,
 * `mentions on` / `context off` (a switch of the policy and a state, any case) turns one on or off,
 * `min_words 12` / `chatter 0.05` (a numeric setting and a value) sets one, `min_words` alone resets it.
 * A value that is not a number comes through as `NaN`, for the handler's range refusal; `undefined`
 * for anything else (the usage line).
 */
export function parseSettingsWords(text: string): Extract<ChatCommand, { name: 'settings' }> | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { name: 'settings', action: 'show' };
  const [setting = '', state] = words;
  const switches: readonly string[] = SETTINGS_SWITCHES;
  const values: readonly string[] = SETTINGS_VALUES;
  if (values.includes(setting) && words.length <= 2) {
    const action = setting as ChannelValue;
    return state === undefined
      ? { name: 'settings', action }
      : { name: 'settings', action, value: parseDecimal(state) ?? Number.NaN };
  }
  if (words.length !== 2 || !switches.includes(setting) || (state !== 'on' && state !== 'off')) return undefined;
  return { name: 'settings', action: setting as ChannelSwitch, enabled: state === 'on' };
}

/** How a walk over a text command's flags ended: its text words, or the first problem. */
export type FlagWalk<P> = { words: string[] } | { unknownFlag: string } | { problem: P };

/**
 * A text command's tokens as Slack and the console write them: flags anywhere, as `--flag value` or
 * `--flag=value`, `--` ends them (what follows is text), and every other
 * token is a word of the text. `read` takes each flag's value in order (undefined: none left) and
 * returns a problem to stop at; an unknown `--flag` stops the walk too.
 */
export function walkFlags<P>(
  tokens: readonly string[],
  table: ReadonlyMap<string, OptionRule>,
  read: (option: OptionRule, flag: string, value: string | undefined) => P | undefined,
): FlagWalk<P> {
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (token === '--') {
      words.push(...tokens.slice(i + 1));
      break;
    }
    const at = token.startsWith('--') ? token.indexOf('=') : -1;
    const [flag, inline] = at < 0 ? [token, undefined] : [token.slice(0, at), token.slice(at + 1)];
    const option = table.get(flag);
    if (option === undefined) {
      if (token.startsWith('--')) return { unknownFlag: flag };
      words.push(token);
      continue;
    }
    const problem = read(option, flag, inline ?? tokens[(i += 1)]);
    if (problem !== undefined) return { problem };
  }
  return { words };
}

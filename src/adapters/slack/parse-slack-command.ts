import type { ChatCommand } from '../../commands/chat-command.js';
import {
  flagTable,
  flagsUsage,
  parseDecimal,
  parseSettingsWords,
  settingsForms,
  shortFlags,
  temperatureUsage,
} from '../../commands/command-usage.js';
import { renderReply } from '../../replies/reply-catalogue.js';
import type { SlackCommandKind } from './slack-command-names.js';
import { slackTextToPlain } from './slack-text-to-plain.js';

export type ParsedSlackCommand = { ok: true; command: ChatCommand } | { ok: false; message: string };

/**
 * Turns a slash command's text into a `ChatCommand`, or a short message ending with the usage line.
 * Only the shape is checked here (numbers are numbers); ranges are the handlers' to judge.
 * `name` is the configured command name, shown in usage lines.
 */
export function parseSlackCommand(kind: SlackCommandKind, rawText: string, name: string): ParsedSlackCommand {
  const text = slackTextToPlain(rawText).trim();
  switch (kind) {
    case 'continue':
      return parseContinue(text, name);
    case 'temperature':
      return parseTemperature(text, name);
    case 'status':
      return { ok: true, command: { name: 'status' } };
    case 'retrain':
      return parseRetrain(text, name);
    case 'forget':
      return text === 'channel' || text === 'me'
        ? { ok: true, command: { name: 'forget', scope: text } }
        : usage(renderReply('slack.usageForget', { name }));
    case 'settings': {
      const settings = parseSettingsWords(text);
      return settings
        ? { ok: true, command: settings }
        : usage(renderReply('slack.usageSettings', { name, forms: settingsForms() }));
    }
  }
}

/** `--temperature`, `-t`, `--words`, ...: the flags of `/continue` in the command policy. */
const CONTINUE_FLAGS = flagTable('continue');

function parseContinue(text: string, name: string): ParsedSlackCommand {
  const line = renderReply('slack.usageContinue', {
    name,
    flags: flagsUsage('continue'),
    short: shortFlags('continue'),
  });
  const tokens = text.split(/\s+/).filter(Boolean);
  const prompt: string[] = [];
  const options: { temperature?: number; words?: number; minWords?: number } = {};
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (token === '--') {
      prompt.push(...tokens.slice(i + 1));
      break;
    }
    const [flag = '', inlineValue] = token.startsWith('--') ? splitAt(token, '=') : [token, undefined];
    const option = CONTINUE_FLAGS.get(flag);
    if (option === undefined) {
      if (token.startsWith('--')) return usage(`${renderReply('continue.unknownOption', { option: flag })} ${line}`);
      prompt.push(token);
      continue;
    }
    const value = inlineValue ?? tokens[(i += 1)];
    if (value === undefined || value === '') {
      return usage(`${renderReply('slack.missingValue', { option: flag })} ${line}`);
    }
    const number = option.type === 'integer' ? parseCount(value) : parseDecimal(value);
    if (number === undefined) return usage(`${renderReply('slack.badNumber', { option: flag, value })} ${line}`);
    options[option.field as 'temperature' | 'words' | 'minWords'] = number;
  }
  if (prompt.length === 0) return usage(`${renderReply('slack.emptyPrompt')} ${line}`);
  return { ok: true, command: { name: 'continue', prompt: prompt.join(' '), ...options } };
}

function parseTemperature(text: string, name: string): ParsedSlackCommand {
  if (text === '') return { ok: true, command: { name: 'temperature', action: 'show' } };
  if (text === 'reset') return { ok: true, command: { name: 'temperature', action: 'reset' } };
  const value = parseDecimal(text);
  if (value === undefined) return usage(renderReply('slack.usageTemperature', { name, range: temperatureUsage }));
  return { ok: true, command: { name: 'temperature', action: 'set', value } };
}

function parseRetrain(text: string, name: string): ParsedSlackCommand {
  if (text === '') return { ok: true, command: { name: 'retrain', action: 'start' } };
  if (text === 'cancel' || text === 'rollback') return { ok: true, command: { name: 'retrain', action: text } };
  const count = parseCount(text.replace(/^messages:/, ''));
  if (count !== undefined && count > 0)
    return { ok: true, command: { name: 'retrain', action: 'start', messages: count } };
  return usage(renderReply('slack.usageRetrain', { name }));
}

function parseCount(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function splitAt(token: string, separator: string): [string, string | undefined] {
  const at = token.indexOf(separator);
  return at < 0 ? [token, undefined] : [token.slice(0, at), token.slice(at + 1)];
}

function usage(message: string): ParsedSlackCommand {
  return { ok: false, message };
}

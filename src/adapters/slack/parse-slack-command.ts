import type { ChatCommand } from '../../commands/chat-command.js';
import {
  flagTable,
  flagsUsage,
  parseDecimal,
  parseSettingsWords,
  settingsForms,
  temperatureUsage,
  walkFlags,
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

/** `--temperature`, `--words`, ...: the flags of `/continue` in the command policy. */
const CONTINUE_FLAGS = flagTable('continue');

function parseContinue(text: string, name: string): ParsedSlackCommand {
  const line = renderReply('slack.usageContinue', { name, flags: flagsUsage('continue') });
  const tokens = text.split(/\s+/).filter(Boolean);
  const options: { temperature?: number; words?: number; minWords?: number } = {};
  const walk = walkFlags(tokens, CONTINUE_FLAGS, (option, flag, value) => {
    if (value === undefined || value === '') return renderReply('slack.missingValue', { option: flag });
    const number = option.type === 'integer' ? parseCount(value) : parseDecimal(value);
    if (number === undefined) return renderReply('slack.badNumber', { option: flag, value });
    options[option.field as 'temperature' | 'words' | 'minWords'] = number;
    return undefined;
  });
  if ('unknownFlag' in walk)
    return usage(`${renderReply('continue.unknownOption', { option: walk.unknownFlag })} ${line}`);
  if ('problem' in walk) return usage(`${walk.problem} ${line}`);
  if (walk.words.length === 0) return usage(`${renderReply('slack.emptyPrompt')} ${line}`);
  return { ok: true, command: { name: 'continue', prompt: walk.words.join(' '), ...options } };
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

function usage(message: string): ParsedSlackCommand {
  return { ok: false, message };
}

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
import { renderReply, type ReplyKey } from '../../replies/reply-catalogue.js';

export type ConsoleInput =
  | { kind: 'empty' }
  | {
      kind: 'command';
      command: ChatCommand;
      /** A plain line (or a mention): also a message said in the channel, which live learning may store. */
      said?: string;
    }
  | { kind: 'join'; channel: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | {
      kind: 'error';
      key: Extract<ReplyKey, 'console.unknownCommand' | 'console.usage' | 'console.badChannelName'>;
      /** The sentence to print, from the reply catalogue. */
      text: string;
    };

const CHANNEL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `--temperature`, `--words`, ...: the flags of `/continue` in the command policy. */
const CONTINUE_FLAGS = flagTable('continue');

/**
 * One console line to a command. Plain text is a `/continue`; a line starting `@bot ` is a mention of
 * the bot (answered when the channel's `mentions` setting is on); `/continue` takes the flags of the
 * command policy (`--temperature T`, `--words N`, ...) anywhere after it. Numbers are decimals, as
 * Slack and `/settings` read them; anything else is passed on as `NaN` so the command handlers give
 * the same range messages as on every platform.
 */
export function parseConsoleLine(line: string): ConsoleInput {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  if (/^@bot(\s|$)/i.test(text)) {
    return { kind: 'command', command: { name: 'continue', prompt: text.slice(4).trim(), via: 'mention' }, said: text };
  }
  if (!text.startsWith('/')) return { kind: 'command', command: { name: 'continue', prompt: text }, said: text };
  const [head = '', ...args] = text.split(/\s+/);
  switch (head.slice(1).toLowerCase()) {
    case 'continue':
      return parseContinue(args);
    case 'temperature':
    case 'temp':
      return parseTemperature(args);
    case 'status':
      return command({ name: 'status' });
    case 'join':
      return parseJoin(args);
    case 'retrain':
      return parseRetrain(args);
    case 'forget': {
      const [scope] = args;
      if (scope === 'channel' || scope === 'me') return command({ name: 'forget', scope });
      return usage(renderReply('console.usageForget'));
    }
    case 'settings': {
      const settings = parseSettingsWords(args.join(' '));
      return settings ? command(settings) : usage(renderReply('console.usageSettings', { forms: settingsForms() }));
    }
    case 'help':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return {
        kind: 'error',
        key: 'console.unknownCommand',
        text: renderReply('console.unknownCommand', { command: head }),
      };
  }
}

/**
 * `/continue` read as Slack reads it: flags anywhere (`--words 12` or `--words=12`), `--` ends them
 * (what follows is prompt), and an unknown `--flag` is refused rather than continued as text.
 */
function parseContinue(args: string[]): ConsoleInput {
  const line = renderReply('console.usageContinue', { flags: flagsUsage('continue', 'T') });
  const options: { temperature?: number; words?: number; minWords?: number } = {};
  const walk = walkFlags(args, CONTINUE_FLAGS, (option, _flag, value) => {
    if (value === undefined) return 'missing';
    options[option.field as keyof typeof options] = toNumber(value);
    return undefined;
  });
  if ('unknownFlag' in walk) return usage(line, renderReply('continue.unknownOption', { option: walk.unknownFlag }));
  if ('problem' in walk) return usage(line);
  return command({ name: 'continue', prompt: walk.words.join(' '), ...options });
}

function parseTemperature(args: string[]): ConsoleInput {
  if (args.length === 0) return command({ name: 'temperature', action: 'show' });
  if (args.length === 1 && args[0]?.toLowerCase() === 'reset') return command({ name: 'temperature', action: 'reset' });
  if (args.length === 1) return command({ name: 'temperature', action: 'set', value: toNumber(args[0]) });
  return usage(renderReply('console.usageTemperature', { range: temperatureUsage }));
}

function parseJoin(args: string[]): ConsoleInput {
  const channel = args[0]?.replace(/^#/, '') ?? '';
  if (args.length !== 1) return usage(renderReply('console.usageJoin'));
  if (!CHANNEL_NAME.test(channel)) {
    return { kind: 'error', key: 'console.badChannelName', text: renderReply('console.badChannelName') };
  }
  return { kind: 'join', channel };
}

function parseRetrain(args: string[]): ConsoleInput {
  const [arg] = args;
  if (arg === 'cancel' || arg === 'rollback') return command({ name: 'retrain', action: arg });
  if (arg === undefined) return command({ name: 'retrain', action: 'start' });
  const messages = toNumber(arg);
  if (!Number.isInteger(messages) || messages < 1) return usage(renderReply('console.usageRetrain'));
  return command({ name: 'retrain', action: 'start', messages });
}

function command(parsed: ChatCommand): ConsoleInput {
  return { kind: 'command', command: parsed };
}

/** A usage line, after what was wrong when it says (`Unknown option ...`). */
function usage(line: string, problem?: string): ConsoleInput {
  const text = renderReply('console.usage', { usage: line });
  return { kind: 'error', key: 'console.usage', text: problem ? `${problem} ${text}` : text };
}

/** A decimal as Slack and `/settings` read it (not `0x1`, `1e2`), else `NaN` for the handler to refuse. */
function toNumber(text: string | undefined): number {
  return (text === undefined ? undefined : parseDecimal(text)) ?? Number.NaN;
}

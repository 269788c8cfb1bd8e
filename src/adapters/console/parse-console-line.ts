import type { ChatCommand } from '../../commands/chat-command.js';
import type { ReplyKey } from '../../replies/reply-catalogue.js';

export type ConsoleInput =
  | { kind: 'empty' }
  | { kind: 'command'; command: ChatCommand }
  | { kind: 'join'; channel: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | {
      kind: 'error';
      key: Extract<ReplyKey, 'console.unknownCommand' | 'console.usage' | 'console.badChannelName'>;
      detail: string;
    };

const CHANNEL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One console line to a command. Plain text is a `/continue`; `/continue` takes `--temperature T`
 * (`-t`) and `--words N` (`-w`) anywhere after it. Numbers are passed on as typed so the command
 * handlers give the same range messages as on every platform.
 */
export function parseConsoleLine(line: string): ConsoleInput {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  if (!text.startsWith('/')) return { kind: 'command', command: { name: 'continue', prompt: text } };
  const [head = '', ...rest] = text.split(/\s+/);
  const name = head.slice(1).toLowerCase();
  const args = rest;
  switch (name) {
    case 'continue':
      return parseContinue(args);
    case 'temperature':
    case 'temp': {
      if (args.length === 0) return { kind: 'command', command: { name: 'temperature', action: 'show' } };
      if (args.length === 1 && args[0]?.toLowerCase() === 'reset') {
        return { kind: 'command', command: { name: 'temperature', action: 'reset' } };
      }
      if (args.length === 1) {
        return { kind: 'command', command: { name: 'temperature', action: 'set', value: toNumber(args[0]) } };
      }
      return { kind: 'error', key: 'console.usage', detail: '/temperature [0..2 | reset]' };
    }
    case 'status':
      return { kind: 'command', command: { name: 'status' } };
    case 'join': {
      const channel = args[0]?.replace(/^#/, '') ?? '';
      if (args.length !== 1) return { kind: 'error', key: 'console.usage', detail: '/join <channel name>' };
      if (!CHANNEL_NAME.test(channel)) return { kind: 'error', key: 'console.badChannelName', detail: channel };
      return { kind: 'join', channel };
    }
    case 'retrain': {
      const [arg] = args;
      if (arg === 'cancel' || arg === 'rollback') return { kind: 'command', command: { name: 'retrain', action: arg } };
      if (arg === undefined) return { kind: 'command', command: { name: 'retrain', action: 'start' } };
      const messages = toNumber(arg);
      if (!Number.isInteger(messages) || messages < 1) {
        return { kind: 'error', key: 'console.usage', detail: '/retrain [messages | cancel | rollback]' };
      }
      return { kind: 'command', command: { name: 'retrain', action: 'start', messages } };
    }
    case 'forget': {
      const [scope] = args;
      if (scope === 'channel' || scope === 'me') return { kind: 'command', command: { name: 'forget', scope } };
      return { kind: 'error', key: 'console.usage', detail: '/forget channel | me' };
    }
    case 'help':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', key: 'console.unknownCommand', detail: head };
  }
}

function parseContinue(args: string[]): ConsoleInput {
  const words: string[] = [];
  let temperature: number | undefined;
  let count: number | undefined;
  let minWords: number | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--temperature' || arg === '-t' || arg === '--words' || arg === '-w' || arg === '--min-words') {
      const value = args[i + 1];
      if (value === undefined) {
        return {
          kind: 'error',
          key: 'console.usage',
          detail: '/continue <text> [--temperature T] [--words N] [--min-words N]',
        };
      }
      if (arg === '--temperature' || arg === '-t') temperature = toNumber(value);
      else if (arg === '--min-words') minWords = toNumber(value);
      else count = toNumber(value);
      i += 1;
    } else {
      words.push(arg);
    }
  }
  const command: ChatCommand = { name: 'continue', prompt: words.join(' ') };
  if (temperature !== undefined) command.temperature = temperature;
  if (count !== undefined) command.words = count;
  if (minWords !== undefined) command.minWords = minWords;
  return { kind: 'command', command };
}

function toNumber(text: string | undefined): number {
  return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
}

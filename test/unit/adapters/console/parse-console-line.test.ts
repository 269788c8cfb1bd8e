import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../../src/adapters/console/parse-console-line.js';

describe('parseConsoleLine', () => {
  it('treats plain text as /continue, and as a message said in the channel', () => {
    expect(parseConsoleLine('  hello there ')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: 'hello there' },
      said: 'hello there',
    });
    expect(parseConsoleLine('/continue hello')).not.toHaveProperty('said');
  });

  it('treats a line starting with @bot as a mention of the bot, the rest as its prompt', () => {
    expect(parseConsoleLine('@bot the weather today')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: 'the weather today', via: 'mention' },
      said: '@bot the weather today',
    });
    expect(parseConsoleLine('@bot')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: '', via: 'mention' },
      said: '@bot',
    });
    expect(parseConsoleLine('@bots are nice')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: '@bots are nice' },
      said: '@bots are nice',
    });
  });

  it('reads /settings and /settings mentions on|off, and shows the usage line otherwise', () => {
    expect(parseConsoleLine('/settings')).toEqual({ kind: 'command', command: { name: 'settings', action: 'show' } });
    expect(parseConsoleLine('/settings mentions on')).toEqual({
      kind: 'command',
      command: { name: 'settings', action: 'mentions', enabled: true },
    });
    expect(parseConsoleLine('/settings mentions')).toMatchObject({ kind: 'error', key: 'console.usage' });
  });

  it('reads /settings min_words 12 and /settings chatter (back to the default); the usage line names every setting', () => {
    expect(parseConsoleLine('/settings min_words 12')).toEqual({
      kind: 'command',
      command: { name: 'settings', action: 'min_words', value: 12 },
    });
    expect(parseConsoleLine('/settings chatter')).toEqual({
      kind: 'command',
      command: { name: 'settings', action: 'chatter' },
    });
    expect(parseConsoleLine('/settings chatter 0.1 now')).toEqual({
      kind: 'error',
      key: 'console.usage',
      text:
        'Usage: /settings [temperature [0..2] | min_words [words] | chatter [0..0.2] | mentions on|off | ' +
        'continue_message on|off | context on|off | learning on|off]',
    });
  });

  it('reads --temperature and --words anywhere after /continue', () => {
    expect(parseConsoleLine('/continue the game --temperature 0.3 was --words 12')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: 'the game was', temperature: 0.3, words: 12 },
    });
  });

  it('keeps one-letter dashes in the prompt: -t and -w are words, not flags', () => {
    const prompts = [
      '/continue sort by time with ls -t and then',
      '/continue use grep -w to match whole words',
      '/continue the score was 3 -t 1 at halftime',
    ];
    expect(prompts.map(parseConsoleLine)).toEqual(
      prompts.map((line) => ({
        kind: 'command',
        command: { name: 'continue', prompt: line.slice('/continue '.length) },
      })),
    );
  });

  it('reads --min-words after /continue, and passes a non-number on as NaN for the handler to refuse', () => {
    expect(parseConsoleLine('/continue how do i --min-words 12 --words 30')).toEqual({
      kind: 'command',
      command: { name: 'continue', prompt: 'how do i', words: 30, minWords: 12 },
    });
    const parsed = parseConsoleLine('/continue hi --min-words lots');
    expect(Number.isNaN((parsed as { command: { minWords: number } }).command.minWords)).toBe(true);
    expect(parseConsoleLine('/continue hi --min-words')).toMatchObject({ kind: 'error', key: 'console.usage' });
  });

  it('reads flags as Slack does: --flag=value, -- ends them, an unknown --flag is refused', () => {
    const continued = (line: string) => (parseConsoleLine(line) as { command: unknown }).command;
    const prompts = [
      '/continue hi there --words=12 --temperature 0.5',
      '/continue well -- --words 3 -t',
      '/continue hi - there -5 degrees',
    ];
    expect(prompts.map(continued)).toEqual([
      { name: 'continue', prompt: 'hi there', words: 12, temperature: 0.5 },
      { name: 'continue', prompt: 'well --words 3 -t' },
      { name: 'continue', prompt: 'hi - there -5 degrees' },
    ]);
    const unknown = parseConsoleLine('/continue hi --word 5');
    expect(unknown).toMatchObject({ kind: 'error', key: 'console.usage' });
    expect((unknown as { text: string }).text).toBe(
      'Unknown option `--word`. Usage: /continue <text> [--temperature T] [--words N] [--min-words N]',
    );
  });

  it('passes a non-number temperature on as NaN so the handler names the range', () => {
    const parsed = parseConsoleLine('/temperature warm');
    expect(parsed).toMatchObject({ kind: 'command', command: { name: 'temperature', action: 'set' } });
    expect(Number.isNaN((parsed as { command: { value: number } }).command.value)).toBe(true);
  });

  it('reads numbers as /settings and Slack do: hex and exponents come through as NaN for the handler to refuse', () => {
    const numbers = (line: string) => {
      const parsed = parseConsoleLine(line) as { command: { value?: number; words?: number; temperature?: number } };
      return [parsed.command.value, parsed.command.words, parsed.command.temperature];
    };
    expect(numbers('/temperature 0x1')).toEqual([Number.NaN, undefined, undefined]);
    expect(numbers('/continue hi --words 0x10')).toEqual([undefined, Number.NaN, undefined]);
    expect(numbers('/continue hi --words 1e2')).toEqual([undefined, Number.NaN, undefined]);
    expect(numbers('/continue hi --temperature 1e0')).toEqual([undefined, undefined, Number.NaN]);
    expect(numbers('/continue hi --temperature .5 --words 12')).toEqual([undefined, 12, 0.5]);
    expect(parseConsoleLine('/retrain 0x20')).toMatchObject({ kind: 'error', key: 'console.usage' });
  });

  it('knows show, set and reset of /temperature', () => {
    expect(parseConsoleLine('/temperature')).toEqual({
      kind: 'command',
      command: { name: 'temperature', action: 'show' },
    });
    expect(parseConsoleLine('/temperature RESET')).toEqual({
      kind: 'command',
      command: { name: 'temperature', action: 'reset' },
    });
    expect(parseConsoleLine('/temperature 1.5')).toEqual({
      kind: 'command',
      command: { name: 'temperature', action: 'set', value: 1.5 },
    });
  });

  it('accepts safe channel names for /join and refuses the rest', () => {
    expect(parseConsoleLine('/join #random')).toEqual({ kind: 'join', channel: 'random' });
    expect(parseConsoleLine('/join ../etc')).toMatchObject({ kind: 'error', key: 'console.badChannelName' });
    expect(parseConsoleLine('/join')).toMatchObject({ kind: 'error', key: 'console.usage' });
  });

  it('names an unknown command', () => {
    expect(parseConsoleLine('/dance now')).toEqual({
      kind: 'error',
      key: 'console.unknownCommand',
      text: 'Unknown command /dance. Type /help for the list.',
    });
  });

  it('ignores empty lines', () => {
    expect(parseConsoleLine('   ')).toEqual({ kind: 'empty' });
  });
});

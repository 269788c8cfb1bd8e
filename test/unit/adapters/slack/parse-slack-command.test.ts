import { describe, expect, it } from 'vitest';
import { parseSlackCommand } from '../../../../src/adapters/slack/parse-slack-command.js';

describe('parseSlackCommand', () => {
  it('reads /lstm-settings and its mentions, continue_message and context on|off, and answers anything else with the usage line', () => {
    expect(parseSlackCommand('settings', '', '/lstm-settings')).toEqual({
      ok: true,
      command: { name: 'settings', action: 'show' },
    });
    expect(parseSlackCommand('settings', 'mentions off', '/lstm-settings')).toEqual({
      ok: true,
      command: { name: 'settings', action: 'mentions', enabled: false },
    });
    expect(parseSlackCommand('settings', 'mentions yes', '/s')).toEqual({
      ok: false,
      message:
        "Usage: `/s` to see this channel's settings; `/s temperature [0..2]`, `/s min_words [words]`, `/s chatter [0..0.2]`, " +
        '`/s mentions on|off`, `/s continue_message on|off`, `/s context on|off`, `/s learning on|off` ' +
        'to change one (a value left out: back to the default).',
    });
    expect(parseSlackCommand('settings', 'Context ON', '/lstm-settings')).toEqual({
      ok: true,
      command: { name: 'settings', action: 'context', enabled: true },
    });
    expect(parseSlackCommand('settings', 'continue_message on', '/lstm-settings')).toEqual({
      ok: true,
      command: { name: 'settings', action: 'continue_message', enabled: true },
    });
  });

  it.each([
    ['min_words 12', { action: 'min_words', value: 12 }],
    ['chatter 0.05', { action: 'chatter', value: 0.05 }],
    ['Temperature', { action: 'temperature' }],
  ])('reads /lstm-settings %s (a setting alone: back to the default)', (text, command) => {
    expect(parseSlackCommand('settings', text, '/lstm-settings')).toEqual({
      ok: true,
      command: { name: 'settings', ...command },
    });
  });

  it('reads options anywhere in /continue text and keeps the rest as the prompt', () => {
    expect(parseSlackCommand('continue', '--temperature 0.5 the weather --words 60 today', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'the weather today', temperature: 0.5, words: 60 },
    });
    expect(parseSlackCommand('continue', 'hi --temperature .7 --words 5', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'hi', temperature: 0.7, words: 5 },
    });
    expect(parseSlackCommand('continue', 'hi --words=9', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'hi', words: 9 },
    });
  });

  it('reads --min-words as a whole number, and refuses anything else with the usage line', () => {
    expect(parseSlackCommand('continue', 'how do i --min-words 12', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'how do i', minWords: 12 },
    });
    expect(parseSlackCommand('continue', 'hi --min-words=0 --words 3', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'hi', minWords: 0, words: 3 },
    });
    expect(parseSlackCommand('continue', 'hi --min-words 1.5', '/continue')).toEqual({
      ok: false,
      message: expect.stringMatching(/^`--min-words` needs a number, not `1.5`\. Usage: .*--min-words N/),
    });
  });

  it('keeps dashes that are not options, and everything after -- , in the prompt', () => {
    expect(parseSlackCommand('continue', 'it was -5 outside -- --words', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'it was -5 outside --words' },
    });
  });

  it('keeps one-letter dashes in the prompt: -t and -w are words, not flags', () => {
    expect(parseSlackCommand('continue', 'sort by time with ls -t and then', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'sort by time with ls -t and then' },
    });
    expect(parseSlackCommand('continue', 'the score was 3 -t 1 at halftime -w', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'the score was 3 -t 1 at halftime -w' },
    });
  });

  it('decodes Slack entities and mention markup in the prompt', () => {
    expect(parseSlackCommand('continue', 'tell <@U1|ann> &lt;3 &amp; more', '/continue')).toEqual({
      ok: true,
      command: { name: 'continue', prompt: 'tell @ann <3 & more' },
    });
  });

  it('rejects a word count that is not a whole number, naming the option, with the usage line', () => {
    const result = parseSlackCommand('continue', 'hi --words 2.5', '/write');
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/^`--words` needs a number, not `2.5`\. Usage: `\/write/),
    });
  });

  it('rejects a missing value, an unknown option and an empty prompt', () => {
    expect(parseSlackCommand('continue', 'hi --temperature', '/continue')).toMatchObject({
      ok: false,
      message: expect.stringContaining('`--temperature` needs a value'),
    });
    expect(parseSlackCommand('continue', 'hi --seed 3', '/continue')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Unknown option `--seed`'),
    });
    expect(parseSlackCommand('continue', '--words 10', '/continue')).toMatchObject({
      ok: false,
      message: expect.stringContaining('start of a sentence'),
    });
  });

  it('leaves range checks to the handlers: a temperature of 5 parses', () => {
    expect(parseSlackCommand('temperature', '5', '/temperature')).toEqual({
      ok: true,
      command: { name: 'temperature', action: 'set', value: 5 },
    });
  });

  it('reads /temperature show, set and reset, and refuses anything else', () => {
    expect(parseSlackCommand('temperature', '', '/t')).toEqual({
      ok: true,
      command: { name: 'temperature', action: 'show' },
    });
    expect(parseSlackCommand('temperature', ' reset ', '/t')).toEqual({
      ok: true,
      command: { name: 'temperature', action: 'reset' },
    });
    expect(parseSlackCommand('temperature', '0.25', '/t')).toEqual({
      ok: true,
      command: { name: 'temperature', action: 'set', value: 0.25 },
    });
    expect(parseSlackCommand('temperature', '1e3', '/t')).toMatchObject({ ok: false });
    expect(parseSlackCommand('temperature', 'warm', '/t')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Usage: `/t`'),
    });
  });

  it('reads /retrain N, messages:N, cancel and rollback, and refuses zero', () => {
    expect(parseSlackCommand('retrain', '', '/r')).toEqual({ ok: true, command: { name: 'retrain', action: 'start' } });
    expect(parseSlackCommand('retrain', '2000', '/r')).toEqual({
      ok: true,
      command: { name: 'retrain', action: 'start', messages: 2000 },
    });
    expect(parseSlackCommand('retrain', 'messages:300', '/r')).toEqual({
      ok: true,
      command: { name: 'retrain', action: 'start', messages: 300 },
    });
    expect(parseSlackCommand('retrain', 'cancel', '/r')).toEqual({
      ok: true,
      command: { name: 'retrain', action: 'cancel' },
    });
    expect(parseSlackCommand('retrain', 'rollback', '/r')).toEqual({
      ok: true,
      command: { name: 'retrain', action: 'rollback' },
    });
    expect(parseSlackCommand('retrain', '0', '/r')).toMatchObject({ ok: false });
  });

  it('reads /forget channel and me only', () => {
    expect(parseSlackCommand('forget', 'channel', '/f')).toEqual({
      ok: true,
      command: { name: 'forget', scope: 'channel' },
    });
    expect(parseSlackCommand('forget', 'me', '/f')).toEqual({ ok: true, command: { name: 'forget', scope: 'me' } });
    expect(parseSlackCommand('forget', 'everyone', '/f')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Usage'),
    });
  });
});

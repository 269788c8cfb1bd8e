import { describe, expect, it } from 'vitest';
import { parseSettingsWords } from '../../../src/commands/command-usage.js';

describe('parseSettingsWords', () => {
  it('shows the settings when nothing follows the command', () => {
    expect(parseSettingsWords('')).toEqual({ name: 'settings', action: 'show' });
    expect(parseSettingsWords('   ')).toEqual({ name: 'settings', action: 'show' });
  });

  it('reads mentions on and off in any case and spacing', () => {
    expect(parseSettingsWords('mentions on')).toEqual({ name: 'settings', action: 'mentions', enabled: true });
    expect(parseSettingsWords(' Mentions   OFF ')).toEqual({ name: 'settings', action: 'mentions', enabled: false });
  });

  it('reads continue_message on and off', () => {
    expect(parseSettingsWords('continue_message on')).toEqual({
      name: 'settings',
      action: 'continue_message',
      enabled: true,
    });
    expect(parseSettingsWords('CONTINUE_MESSAGE off')).toMatchObject({ action: 'continue_message', enabled: false });
  });

  it('reads a numeric setting with its value, or alone to go back to the default', () => {
    expect(parseSettingsWords('min_words 12')).toEqual({ name: 'settings', action: 'min_words', value: 12 });
    expect(parseSettingsWords('CHATTER .05')).toEqual({ name: 'settings', action: 'chatter', value: 0.05 });
    expect(parseSettingsWords('temperature 1.5')).toEqual({ name: 'settings', action: 'temperature', value: 1.5 });
    expect(parseSettingsWords('min_words')).toEqual({ name: 'settings', action: 'min_words' });
  });

  it('passes a value that is not a number on as NaN, for the handler to refuse with the range', () => {
    for (const text of ['min_words abc', 'chatter on', 'chatter 1e-2', 'chatter 0x1', 'temperature NaN']) {
      const parsed = parseSettingsWords(text);
      expect(parsed && 'value' in parsed ? parsed.value : 'no value', text).toBeNaN();
    }
  });

  it('refuses anything else (the caller shows the usage line)', () => {
    for (const text of [
      'mentions',
      'mentions maybe',
      'mentions on now',
      'temperature 1 2',
      'on',
      'continue on',
      'continue_message',
    ]) {
      expect(parseSettingsWords(text), text).toBeUndefined();
    }
  });
});

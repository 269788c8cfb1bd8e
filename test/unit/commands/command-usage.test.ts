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

  it('refuses anything else (the caller shows the usage line)', () => {
    for (const text of [
      'mentions',
      'mentions maybe',
      'mentions on now',
      'temperature 1',
      'on',
      'continue on',
      'continue_message',
    ]) {
      expect(parseSettingsWords(text), text).toBeUndefined();
    }
  });
});

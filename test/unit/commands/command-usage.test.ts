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

  it('refuses anything else (the caller shows the usage line)', () => {
    for (const text of ['mentions', 'mentions maybe', 'mentions on now', 'temperature 1', 'on']) {
      expect(parseSettingsWords(text), text).toBeUndefined();
    }
  });
});

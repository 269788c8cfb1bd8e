import { describe, expect, test } from 'vitest';
import { defuseMentions } from '../../../../src/adapters/discord/defuse-mentions.js';

describe('defuseMentions', () => {
  test('breaks user, role and channel mentions and @everyone/@here', () => {
    const out = defuseMentions('hi <@123> <@!456> <@&789> <#42> @everyone @here');
    expect(out).not.toMatch(/<@|<#|@everyone|@here/);
    expect(out.replaceAll('\u200b', '')).toBe('hi <@123> <@!456> <@&789> <#42> @everyone @here');
  });

  test('leaves ordinary text alone', () => {
    expect(defuseMentions('mail me at a@b.c, 3 < 4')).toBe('mail me at a@b.c, 3 < 4');
  });
});

import { describe, expect, it } from 'vitest';
import { renderReply } from '../../../src/replies/reply-catalogue.js';
import { errorToReply } from '../../../src/replies/error-to-reply.js';
import { UserError } from '../../../src/replies/user-error.js';
import { CodedError } from '../../../src/errors/coded-error.js';

describe('the reply catalogue', () => {
  it('joins a continuation to its prompt like a person would', () => {
    expect(renderReply('continue.answer', { prompt: 'hello', continuation: ', world!' })).toBe('hello, world!');
    expect(renderReply('continue.answer', { prompt: 'hello', continuation: 'there' })).toBe('hello there');
  });

  it('lists every command of the README in the console help, /retrain and /forget too', () => {
    const help = renderReply('console.help', { flags: '[--words N]', range: '0..2', chatter: '0..0.2' });
    const usages = help.split('\n').map((line) => line.split(/\s{3,}/)[0]);
    expect(usages).toEqual(
      expect.arrayContaining(['/retrain [messages] | cancel | rollback', '/forget me', '/forget channel', '/status']),
    );
  });

  it('shows temperatures without float noise', () => {
    expect(renderReply('temperature.set', { value: 0.30000000000000004 })).toBe(
      'Temperature set to 0.3 for this channel.',
    );
  });

  it('turns errors into short private replies: refusals, unavailability, and anything else', () => {
    expect(errorToReply(new UserError('temperature.forbidden')).reply).toEqual({
      text: 'Only people who can manage this channel may change its temperature.',
      visibility: 'private',
    });
    expect(errorToReply(new CodedError('SERVICE_UNAVAILABLE', 'down')).reply.text).toBe(
      'The bot is temporarily unavailable. Please try again in a minute.',
    );
    const internal = errorToReply(Object.assign(new Error('boom at /secret/path'), { code: 'E_BOOM' }));
    expect(internal).toMatchObject({ level: 'error', code: 'E_BOOM' });
    expect(internal.reply.text).not.toContain('/secret/path');
  });
});

import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/errors/coded-error.js';
import { replyTextFor } from '../../../src/replies/error-to-reply.js';
import { renderReply } from '../../../src/replies/reply-catalogue.js';

describe('what a user reads for a failed history read', () => {
  it.each([
    [new CodedError('DISCORD_MISSING_ACCESS', 'Missing access reading channel 123'), 'retrain.historyNoAccess'],
    [new CodedError('DISCORD_NO_MESSAGE_CONTENT', 'channel 123 without text'), 'retrain.historyNoContent'],
    [new CodedError('SLACK_NOT_IN_CHANNEL', 'The bot is not a member of C1'), 'retrain.historyNotInChannel'],
    [new CodedError('SLACK_CHANNEL_NOT_FOUND', 'Channel C1 not found'), 'retrain.historyChannelNotFound'],
    [new CodedError('SLACK_RATE_LIMITED', 'Slack kept rate-limiting C1'), 'retrain.historyRateLimited'],
  ] as const)('answers %s with the catalogue sentence %s, never its message', (error, key) => {
    const reply = replyTextFor(error, 'retrain.historyUnreadable');
    expect(reply).toBe(renderReply(key));
    expect(reply).not.toContain(error.message);
  });

  it('shows no raw message of an unknown failure', () => {
    const reply = replyTextFor(
      new Error('connect ECONNREFUSED 10.0.0.7:443 token=xoxb-secret'),
      'retrain.historyUnreadable',
    );
    expect(reply).toBe(renderReply('retrain.historyUnreadable'));
    expect(replyTextFor('a string', 'retrain.historyUnreadable')).toBe(renderReply('retrain.historyUnreadable'));
  });
});

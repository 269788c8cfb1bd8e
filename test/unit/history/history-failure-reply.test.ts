import { describe, expect, it } from 'vitest';
import { DiscordError } from '../../../src/adapters/discord/discord-error.js';
import { SlackAdapterError } from '../../../src/adapters/slack/slack-adapter-error.js';
import { historyFailureReply } from '../../../src/history/history-failure-reply.js';
import { renderReply } from '../../../src/replies/reply-catalogue.js';

describe('historyFailureReply', () => {
  it.each([
    [new DiscordError('DISCORD_MISSING_ACCESS', 'Missing access reading channel 123'), 'retrain.historyNoAccess'],
    [new DiscordError('DISCORD_NO_MESSAGE_CONTENT', 'channel 123 without text'), 'retrain.historyNoContent'],
    [new SlackAdapterError('SLACK_NOT_IN_CHANNEL', 'The bot is not a member of C1'), 'retrain.historyNotInChannel'],
    [new SlackAdapterError('SLACK_CHANNEL_NOT_FOUND', 'Channel C1 not found'), 'retrain.historyChannelNotFound'],
    [new SlackAdapterError('SLACK_RATE_LIMITED', 'Slack kept rate-limiting C1'), 'retrain.historyRateLimited'],
  ] as const)('answers %s with the catalogue sentence %s, never its message', (error, key) => {
    const reply = historyFailureReply(error);
    expect(reply).toBe(renderReply(key));
    expect(reply).not.toContain(error.message);
  });

  it('shows no raw message of an unknown failure', () => {
    const reply = historyFailureReply(new Error('connect ECONNREFUSED 10.0.0.7:443 token=xoxb-secret'));
    expect(reply).toBe(renderReply('retrain.historyUnreadable'));
    expect(historyFailureReply('a string')).toBe(renderReply('retrain.historyUnreadable'));
  });
});

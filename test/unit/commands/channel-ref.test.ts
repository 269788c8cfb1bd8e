import { describe, expect, it } from 'vitest';
import {
  channelKey,
  channelRefSchema,
  isChatId,
  workspaceKey,
  type ChannelRef,
} from '../../../src/commands/channel-ref.js';
import { generateJobSchema } from '../../../src/queue/generate-job.js';
import { trainJobSchema } from '../../../src/queue/train-job.js';
import { channelModelDir } from '../../../src/model/store/model-location.js';

const slack = (workspace: string, channel: string): ChannelRef => ({ platform: 'slack', workspace, channel });

describe('channel ids, checked in one place', () => {
  it('takes the ids the platforms use: snowflakes, Slack ids, console names', () => {
    for (const id of ['123456789012345678', 'T0123ABC', 'C0123ABC', 'U0123ABC', 'general', 'my_room-2', 'local']) {
      expect(isChatId(id)).toBe(true);
    }
  });

  it('refuses empty ids, separators, wildcards, dots, spaces and ids over 64 characters', () => {
    for (const id of ['', 'a/b', 'a:b', 'a*', '..', '.', 'a b', 'a\nb', 'x'.repeat(65), 'é']) {
      expect(isChatId(id)).toBe(false);
      expect(channelRefSchema.safeParse(slack(id, 'C1')).success).toBe(false);
      expect(channelRefSchema.safeParse(slack('T1', id)).success).toBe(false);
    }
  });

  const invalidId = expect.objectContaining({ code: 'INVALID_CHAT_ID' });

  it('never lets `T1/a` + `b` and `T1` + `a/b` name one channel: neither gets a key', () => {
    expect(() => channelKey(slack('T1/a', 'b'))).toThrow(invalidId);
    expect(() => channelKey(slack('T1', 'a/b'))).toThrow(invalidId);
    expect(() => workspaceKey('slack', 'T1/a')).toThrow(invalidId);
    expect(() => channelKey({ platform: 'irc' as 'slack', workspace: 'T1', channel: 'C1' })).toThrow(invalidId);
    expect(channelKey(slack('T1', 'C1'))).toBe('slack/T1/C1');
  });

  it('keeps such ids out of queued jobs too', () => {
    const job = {
      v: 1,
      channel: slack('T1', 'a/b'),
      userId: 'U1',
      prompt: 'hello',
      options: { temperature: 1, maxWords: 5 },
      replyTo: { platform: 'console', sessionId: 's', channelId: 'a' },
      requestedAt: 0,
    };
    expect(generateJobSchema.safeParse(job).success).toBe(false);
    expect(trainJobSchema.safeParse({ ...job, requestId: 'r1', messages: 10 }).success).toBe(false);
  });

  it('gives different model folders to any two different channels', () => {
    expect(channelModelDir('/m', slack('T1', 'C1'))).toBe('/m/channels/slack/T1/C1');
    expect(channelModelDir('/m', slack('T1/a', 'b'))).not.toBe(channelModelDir('/m', slack('T1', 'a/b')));
  });
});

import { describe, expect, it } from 'vitest';
import { chaosRequests } from '../../../src/chaos/chaos-requests.js';
import { countOutcomes } from '../../../src/chaos/count-outcomes.js';
import type { PlatformPost } from '../../../src/chaos/fake-slack-platform.js';
import type { ChaosAck } from '../../../src/chaos/slash-command-load.js';
import { renderReply } from '../../../src/replies/reply-catalogue.js';

const requests = chaosRequests(9, 'abc');
const r = (i: number) => requests[i]!;
const accepted = (i: number, text?: string): ChaosAck => ({
  request: r(i),
  sentAtMs: 0,
  ackMs: i === 1 ? 3_500 : 10,
  status: 200,
  ...(text === undefined ? {} : { text }),
});
const answer = (i: number, via: PlatformPost['via'] = 'response_url'): PlatformPost => ({
  atMs: 0,
  via,
  visibility: 'public',
  text: `${r(i).prompt} and then some words`,
  ...(via === 'response_url' ? { responseId: r(i).responseId } : { channel: r(i).channelId }),
});
const privately = (i: number, text: string): PlatformPost => ({
  atMs: 0,
  via: 'response_url',
  visibility: 'private',
  text,
  responseId: r(i).responseId,
});

describe('countOutcomes', () => {
  it('gives each accepted request one outcome, matching posts by response_url, user and prompt', () => {
    const acks: ChaosAck[] = [
      accepted(0),
      accepted(1),
      accepted(2),
      accepted(3, renderReply('command.unavailable')),
      accepted(4),
      accepted(5),
      accepted(6),
      { request: r(7), sentAtMs: 0, ackMs: 1, error: 'ECONNREFUSED' },
      { request: r(8), sentAtMs: 0, ackMs: 1, status: 401 },
    ];
    const posts: PlatformPost[] = [
      privately(0, renderReply('continue.queued')),
      answer(0),
      answer(1),
      answer(1, 'chat.postMessage'),
      {
        atMs: 0,
        via: 'chat.postEphemeral',
        visibility: 'private',
        text: renderReply('continue.failed'),
        channel: r(2).channelId,
        user: r(2).userId,
      },
      privately(4, renderReply('continue.queued')),
      privately(5, 'Give me a few words to continue'),
      answer(6),
      privately(6, renderReply('command.internalError')),
      answer(7),
      { atMs: 0, via: 'chat.postMessage', visibility: 'public', text: 'q99xabc hello', channel: 'CCHAOS0' },
    ];

    const counts = countOutcomes(requests, acks, posts);

    expect(counts).toMatchObject({
      requests: 9,
      accepted: 7,
      rejected: 2,
      once: 2,
      twice: 1,
      apology: 1,
      unavailable: 1,
      never: 1,
      other: 1,
      answeredAndApologised: 1,
      rejectedButAnswered: 1,
      unattributedPosts: 1,
      rejectedBy: { ECONNREFUSED: 1, 'HTTP 401': 1 },
      acksOver3s: 1,
      examples: { twice: [r(1).prompt], never: [r(4).prompt], apology: [r(2).prompt], other: [r(5).prompt] },
    });
    expect(counts.once + counts.twice + counts.apology + counts.unavailable + counts.other + counts.never).toBe(
      counts.accepted,
    );
  });

  it('does not count a private post that starts with the prompt as an answer', () => {
    const counts = countOutcomes([r(0)], [accepted(0)], [privately(0, `${r(0).prompt} more`)]);
    expect(counts).toMatchObject({ once: 0, other: 1 });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { FakeSlackPlatform } from '../../../src/chaos/fake-slack-platform.js';

let platform: FakeSlackPlatform;
let client: webApi.WebClient;

beforeEach(async () => {
  platform = new FakeSlackPlatform();
  await platform.start();
  client = new webApi.WebClient(platform.botToken, { slackApiUrl: platform.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await platform.stop();
});

const metadata = { event_type: 'lstm_bot_reply', event_payload: { job: 'reply-7' } };

describe('FakeSlackPlatform', () => {
  it('records posts, and shows public ones in the channel history with their metadata when asked', async () => {
    const response = await fetch(platform.responseUrl('CONE-7'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'hello there', metadata }),
    });
    expect(response.status).toBe(200);
    await client.chat.postMessage({ channel: 'CONE', text: 'second' });
    await client.chat.postEphemeral({ channel: 'CONE', user: 'U1', text: 'only you' });

    expect(platform.posts.map(({ via, visibility, text }) => ({ via, visibility, text }))).toEqual([
      { via: 'response_url', visibility: 'public', text: 'hello there' },
      { via: 'chat.postMessage', visibility: 'public', text: 'second' },
      { via: 'chat.postEphemeral', visibility: 'private', text: 'only you' },
    ]);
    const withMetadata = await client.conversations.history({ channel: 'CONE', include_all_metadata: true });
    expect(withMetadata.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['second', undefined],
      ['hello there', metadata],
    ]);
    const plain = await client.conversations.history({ channel: 'CONE', limit: 1 });
    expect(plain.messages?.map((m) => [m.text, m.metadata])).toEqual([['second', undefined]]);
    expect(plain.has_more).toBe(true);
    const next = await client.conversations.history({ channel: 'CONE', cursor: plain.response_metadata?.next_cursor });
    expect(next.messages?.map((m) => m.text)).toEqual(['hello there']);
  });

  it('refuses a wrong token, and lets a hook run before the poster gets its answer', async () => {
    const stranger = new webApi.WebClient('xoxb-wrong', { slackApiUrl: platform.apiUrl, retryConfig: { retries: 0 } });
    await expect(stranger.auth.test()).rejects.toThrow(/invalid_auth/);
    const seen: string[] = [];
    platform.beforeAnswer = (post) => seen.push(post.text);
    await client.chat.postMessage({ channel: 'CONE', text: 'watched' });
    expect(seen).toEqual(['watched']);
  });
});

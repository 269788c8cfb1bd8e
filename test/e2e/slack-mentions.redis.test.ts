import { describe, expect, it } from 'vitest';
import { settingsForms } from '../../src/commands/command-usage.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { appMentionEvent, postEvent, postSigned } from './fake-slack/slack-request.js';

/**
 * Replies when mentioned on Slack: signed `app_mention` events to the real Bolt app, the real command
 * handlers, the `generate` queue on Redis, a generation worker and reply delivery, answered at the fake().
 */
const SIGNING_SECRET = 'mentions-test-signing-secret';
const { fake, url, signing, settings, switchOn, posts, answerIn } = useSlackChannelPipeline(SIGNING_SECRET, {
  RATE_LIMIT_USER_PER_MINUTE: 1,
});

async function mention(channel: string, user: string, text: string, extra: { threadTs?: string; botId?: string } = {}) {
  const event = appMentionEvent({ team: fake().teamId, channel, user, text: `<@UBOT> ${text}`, ...extra });
  const response = await postEvent(url(), event.body, signing);
  expect(response.status).toBe(200);
  return event;
}

async function mentionsOn(channel: string): Promise<void> {
  await switchOn(channel, 'mentions');
}

describe('Slack mentions through the real pipeline', () => {
  it('answers the Events API url_verification challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'the-challenge-42', type: 'url_verification' });
    const response = await postSigned(url(), body, { ...signing, headers: { 'content-type': 'application/json' } });
    expect([response.status, JSON.parse(response.body)]).toEqual([200, { challenge: 'the-challenge-42' }]);
  });

  it('with mentions on, answers in the channel with the text after the mention as the prompt', async () => {
    await mentionsOn('CON1');
    await mention('CON1', 'UA1', 'the weather today');
    const [answer] = await answerIn('chat.postMessage', 'CON1');
    expect(answer?.args).toMatchObject({ text: 'the weather today basew0 basew1 basew2 basew3 basew4' });
    expect(answer?.args.thread_ts).toBeUndefined();
  });

  it('answers a mention made in a thread in that thread', async () => {
    await mentionsOn('CON2');
    await mention('CON2', 'UA2', 'in a thread', { threadTs: '1700000000.000100' });
    const [answer] = await answerIn('chat.postMessage', 'CON2');
    expect(answer?.args).toMatchObject({
      text: 'in a thread basew0 basew1 basew2 basew3 basew4',
      thread_ts: '1700000000.000100',
    });
  });

  it('gives no answer with mentions off (the default), nor to a bot, while the next mention is answered', async () => {
    await mentionsOn('CON3');
    await mention('COFF', 'UA3', 'nobody hears this');
    await mention('CON3', 'UA4', 'a bot says this', { botId: 'BOTHER' });
    await mention('CON3', 'UA5', 'a person says this');
    // Handled in order: the earlier events were decided before the last one was queued and answered.
    const answers = await answerIn('chat.postMessage', 'CON3');
    expect(answers.map((a) => a.args.text)).toEqual(['a person says this basew0 basew1 basew2 basew3 basew4']);
    expect(posts('chat.postMessage', 'COFF')).toEqual([]);
  });

  it('answers a retried event (X-Slack-Retry-Num) once', async () => {
    await mentionsOn('CON4');
    const event = await mention('CON4', 'UA6', 'only once');
    await answerIn('chat.postMessage', 'CON4');
    const retry = await postEvent(url(), event.body, { ...signing, retryNum: 1 });
    expect(retry.status).toBe(200);
    await mention('CON4', 'UA7', 'and then this');
    const answers = await answerIn('chat.postMessage', 'CON4', 2);
    expect(answers.map((a) => String(a.args.text).split(' basew0')[0])).toEqual(['only once', 'and then this']);
    // Not even a refusal (the user's one request a minute is spent): the retry was dropped as a replay.
    expect(posts('chat.postEphemeral', 'CON4')).toEqual([]);
  });

  it('counts a mention against the same rate limits as /continue, and tells only the mentioning user', async () => {
    await mentionsOn('CON5');
    await mention('CON5', 'UA8', 'first');
    await answerIn('chat.postMessage', 'CON5');
    await mention('CON5', 'UA8', 'second');
    const [refusal] = await answerIn('chat.postEphemeral', 'CON5');
    expect(refusal?.args).toMatchObject({ user: 'UA8' });
    expect(String(refusal?.args.text)).toMatch(/^You are sending requests too fast/);
  });

  it('refuses /lstm-settings mentions on to a member, privately, and shows the settings to everyone', async () => {
    const refused = await settings('CON6', 'UMEMBER', 'mentions on');
    expect(JSON.parse(refused.body)).toEqual({ response_type: 'ephemeral', text: renderReply('settings.forbidden') });
    const shown = await settings('CON6', 'UMEMBER', '');
    expect(JSON.parse(shown.body).text).toContain('Mentions: off');
    const wrong = await settings('CON6', 'UMEMBER', 'mentions maybe');
    expect(JSON.parse(wrong.body).text).toBe(
      renderReply('slack.usageSettings', { name: '/lstm-settings', forms: settingsForms() }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { messageShortcutForm, postSigned } from './fake-slack/slack-request.js';

/**
 * "Continue this message" on Slack: signed `message_action` payloads to the real Bolt app, the real
 * command handlers, the `generate` queue on Redis, a generation worker and reply delivery, answered at the fake().
 */
const SIGNING_SECRET = 'shortcut-test-signing-secret';
const { fake, url, signing, settings, switchOn, posts, answerIn } = useSlackChannelPipeline(SIGNING_SECRET, {
  RATE_LIMIT_USER_PER_MINUTE: 1,
});

async function shortcut(channel: string, user: string, text?: string, threadTs?: string) {
  const form = messageShortcutForm({ team: fake().teamId, channel, user, text, threadTs });
  const response = await postSigned(url(), form.body, signing);
  expect([response.status, response.body]).toEqual([200, '']);
  return form;
}

async function continueMessageOn(channel: string): Promise<void> {
  const announced = await switchOn(channel, 'continue_message');
  expect(announced).toMatchObject({ body: { text: renderReply('settings.continueMessageOn') } });
}

describe('Slack "Continue this message" through the real pipeline', () => {
  it('with continue_message on, continues the chosen message in the channel, its mentions inert', async () => {
    await continueMessageOn('CSC1');
    await shortcut('CSC1', 'UA1', 'the weather <@U42> <!here>');
    const [answer] = await answerIn('chat.postMessage', 'CSC1');
    const text = String(answer?.args.text);
    expect(text).toMatch(/^the weather @.*U42 @.*here basew0 basew1 basew2 basew3 basew4$/);
    expect(text).not.toContain('<@U42>');
    expect(text).not.toContain('<!here>');
    expect(text).not.toMatch(/@here/);
    expect(answer?.args.thread_ts).toBeUndefined();
  });

  it('answers a message in a thread in that thread', async () => {
    await continueMessageOn('CSC2');
    await shortcut('CSC2', 'UA2', 'in a thread', '1700000000.000100');
    const [answer] = await answerIn('chat.postMessage', 'CSC2');
    expect(answer?.args).toMatchObject({
      text: 'in a thread basew0 basew1 basew2 basew3 basew4',
      thread_ts: '1700000000.000100',
    });
  });

  it('with continue_message off (the default), tells only the caller, and posts nothing in the channel', async () => {
    await shortcut('CSC3', 'UA3', 'nobody continues this');
    const [refusal] = await answerIn('chat.postEphemeral', 'CSC3');
    expect(refusal?.args).toMatchObject({ user: 'UA3', text: renderReply('continueMessage.off') });
    expect(posts('chat.postMessage', 'CSC3')).toEqual([]);
  });

  it('a message without text (a file only) gets the short answer, privately', async () => {
    await continueMessageOn('CSC4');
    await shortcut('CSC4', 'UA4');
    const [refusal] = await answerIn('chat.postEphemeral', 'CSC4');
    expect(refusal?.args).toMatchObject({ user: 'UA4', text: renderReply('continueMessage.empty') });
  });

  it('reads a message of the longest prompt allowed, in any script, and ignores a malformed payload', async () => {
    await continueMessageOn('CSC8');
    const form = messageShortcutForm({ team: fake().teamId, channel: 'CSC8', user: 'UA8', text: 'no' });
    const payload = JSON.parse(new URLSearchParams(form.body).get('payload') ?? '{}') as { message: object };
    const malformed = { ...payload, message: { ...payload.message, ts: 'yesterday' } };
    const body = new URLSearchParams({ payload: JSON.stringify(malformed) }).toString();
    expect(await postSigned(url(), body, signing)).toEqual({ status: 200, body: '' });
    const longest = `${'é'.repeat(999)}`;
    await shortcut('CSC8', 'UA8', longest);
    const [answer] = await answerIn('chat.postMessage', 'CSC8');
    expect(String(answer?.args.text)).toMatch(new RegExp(`^${longest} basew0`));
    expect(posts('chat.postEphemeral', 'CSC8')).toEqual([]);
  });

  it('counts against the same rate limits as /continue', async () => {
    await continueMessageOn('CSC5');
    await shortcut('CSC5', 'UA5', 'first');
    await answerIn('chat.postMessage', 'CSC5');
    await shortcut('CSC5', 'UA5', 'second');
    const [refusal] = await answerIn('chat.postEphemeral', 'CSC5');
    expect(refusal?.args).toMatchObject({ user: 'UA5' });
    expect(String(refusal?.args.text)).toMatch(/^You are sending requests too fast/);
  });

  it('answers a replayed request (the same trigger_id, signed anew) once', async () => {
    await continueMessageOn('CSC6');
    const first = await shortcut('CSC6', 'UA6', 'only once');
    await answerIn('chat.postMessage', 'CSC6');
    const replay = await postSigned(url(), first.body, signing);
    expect(replay.status).toBe(200);
    await shortcut('CSC6', 'UA7', 'and then this');
    const answers = await answerIn('chat.postMessage', 'CSC6', 2);
    expect(answers.map((a) => String(a.args.text).split(' basew0')[0])).toEqual(['only once', 'and then this']);
    // Not even a refusal (UA6's one request a minute is spent): the replay was dropped.
    expect(posts('chat.postEphemeral', 'CSC6')).toEqual([]);
  });

  it('refuses /lstm-settings continue_message on to a member, privately, and shows the setting', async () => {
    const post = (text: string) => settings('CSC7', 'UMEMBER', text);
    expect(JSON.parse((await post('continue_message on')).body).text).toBe(renderReply('settings.forbidden'));
    expect(JSON.parse((await post('')).body).text).toContain('Continue this message: off');
  });
});

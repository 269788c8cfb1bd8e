import { describe, expect, it } from 'vitest';
import { liveProbe } from '../helpers/live-probe.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { appMentionEvent, messageEvent, postEvent } from './fake-slack/slack-request.js';

/**
 * Chatter on Slack: signed `message` events to the real Bolt app, with the channel's chance above 0
 * and the draw forced, continued unprompted through the same queue and worker as /continue, in the
 * message's thread when it is in one. Learning is on in these channels: a stored message had its
 * chatter decided.
 */
const SIGNING_SECRET = 'chatter-test-signing-secret';
const { fake, url, signing, switchOn, posts, answerIn, scope } = useSlackChannelPipeline(
  SIGNING_SECRET,
  { CHATTER_COOLDOWN_MS: 0 },
  { random: () => 0 },
);

describe('Slack chatter through the real pipeline', () => {
  async function chattyChannel(channel: string, chance = 0.2) {
    const probe = liveProbe(scope);
    await probe.setChatter('slack', fake().teamId, channel, chance);
    await switchOn(channel, 'learning');
    const say = async (user: string, text: string, extra: { threadTs?: string; botId?: string } = {}) => {
      const event = messageEvent({ team: fake().teamId, channel, user, text, ...extra });
      expect((await postEvent(url(), event.body, signing)).status).toBe(200);
      if (extra.botId === undefined && user !== 'UBOT')
        await probe.waitForStored('slack', fake().teamId, channel, text);
    };
    return { probe, say };
  }

  it('continues a message in its thread, never the next one, then again', async () => {
    const { probe, say } = await chattyChannel('CCH1');
    await say('UA1', 'the weather today', { threadTs: '1700000000.000100' });
    const [first] = await answerIn('chat.postMessage', 'CCH1');
    expect(first?.args).toMatchObject({
      text: 'the weather today basew0 basew1 basew2 basew3 basew4',
      thread_ts: '1700000000.000100',
    });
    await say('UA2', 'and then it rained');
    await say('UA1', 'the sun came back');
    const answers = await answerIn('chat.postMessage', 'CCH1', 2);
    expect(answers.map((a) => String(a.args.text).split(' basew0')[0])).toEqual([
      'the weather today',
      'the sun came back',
    ]);
    expect(await probe.generateJobs()).toBe(2);
    expect(posts('chat.postEphemeral', 'CCH1')).toEqual([]);
  });

  it('never answers bots or itself, and leaves a mention to the mention answer', async () => {
    const { probe, say } = await chattyChannel('CCH2');
    await switchOn('CCH2', 'mentions');
    await say('UB1', 'a bot says this', { botId: 'BOTHER' });
    await say('UBOT', 'the bot itself says this');
    const mention = appMentionEvent({ team: fake().teamId, channel: 'CCH2', user: 'UA1', text: '<@UBOT> hello you' });
    expect((await postEvent(url(), mention.body, signing)).status).toBe(200);
    // Slack sends the same message as a `message` event too; stored as people read it.
    const asMessage = messageEvent({ team: fake().teamId, channel: 'CCH2', user: 'UA1', text: '<@UBOT> hello you' });
    expect((await postEvent(url(), asMessage.body, signing)).status).toBe(200);
    await probe.waitForStored('slack', fake().teamId, 'CCH2', '@UBOT hello you');
    await answerIn('chat.postMessage', 'CCH2');
    await say('UA2', 'a person says this');
    const answers = await answerIn('chat.postMessage', 'CCH2', 2);
    expect(answers.map((a) => String(a.args.text).split(' basew0')[0])).toEqual(['hello you', 'a person says this']);
    expect(await probe.generateJobs()).toBe(2);
  });

  it('says nothing where the chance is 0', async () => {
    const { probe, say } = await chattyChannel('CCH3', 0);
    await say('UA1', 'the weather today');
    expect(await probe.generateJobs()).toBe(0);
    expect(posts('chat.postMessage', 'CCH3')).toEqual([]);
  });
});

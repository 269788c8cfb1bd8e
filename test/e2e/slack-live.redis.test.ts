import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { liveProbe } from '../helpers/live-probe.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { messageEvent, postEvent, postSlashCommand } from './fake-slack/slack-request.js';

/**
 * Live learning on Slack: signed `message` events (`message.channels`) to the real Bolt app, the real
 * command handlers and the history store in Redis.
 */
const SIGNING_SECRET = 'live-test-signing-secret';
const { fake, url, signing, settings, switchOn, scope } = useSlackChannelPipeline(SIGNING_SECRET);

async function say(channel: string, user: string, text: string, extra: { botId?: string; subtype?: string } = {}) {
  const event = messageEvent({ team: fake().teamId, channel, user, text, ...extra });
  const response = await postEvent(url(), event.body, signing);
  expect(response.status).toBe(200);
  return event;
}

describe('Slack live learning through the real pipeline', () => {
  const probe = () => liveProbe(scope);
  const texts = async (channel: string) => (await probe().stored('slack', fake().teamId, channel)).map((m) => m.text);

  it('with learning on, stores people’s plain messages only, and the notice is posted once', async () => {
    const { waitForStored, stored } = probe();
    const notice = (await switchOn('CL1', 'learning')) as { body: unknown };
    expect(notice.body).toMatchObject({ text: renderReply('settings.learningOn'), response_type: 'in_channel' });
    await say('CL1', 'UB1', 'a bot says this', { botId: 'BOTHER' });
    await say('CL1', 'UBOT', 'the bot itself says this');
    await say('CL1', 'UA1', 'an edit of a message', { subtype: 'message_changed' });
    await say('CL1', 'UA1', 'joined the channel', { subtype: 'channel_join' });
    await say('CL1', 'UA1', 'the weather is *fine* today');
    await say('CL1', 'UA2', '<@UBOT> a mention is a message too');
    await waitForStored('slack', fake().teamId, 'CL1', '@UBOT a mention is a message too');
    const rows = await stored('slack', fake().teamId, 'CL1');
    expect(rows.map((m) => [m.text, m.author])).toEqual([
      ['the weather is *fine* today', 'UA1'],
      ['@UBOT a mention is a message too', 'UA2'],
    ]);
    expect(fake().responsePosts.filter((p) => JSON.stringify(p.body).includes('Learning on'))).toHaveLength(1);
    expect(fake().calls.filter((c) => c.args.channel === 'CL1' && String(c.method).startsWith('chat.'))).toEqual([]);
  });

  it('stores nothing with learning off (the default, or turned off), and an event Slack sends again once', async () => {
    const { waitForStored } = probe();
    await switchOn('CL2', 'learning');
    await switchOn('CMARK', 'learning');
    await say('COFF', 'UA1', 'nobody stores this');
    const event = await say('CL2', 'UA1', 'stored while it is on');
    await waitForStored('slack', fake().teamId, 'CL2', 'stored while it is on');
    expect((await postEvent(url(), event.body, { ...signing, retryNum: 1 })).status).toBe(200);
    await say('CL2', 'UA1', 'after the retry');
    await waitForStored('slack', fake().teamId, 'CL2', 'after the retry');
    expect((await settings('CL2', 'UADMIN', 'learning off')).status).toBe(200);
    await fake().waitFor(() =>
      fake().responsePosts.find((p) => JSON.stringify(p.body).includes(renderReply('settings.learningOff'))),
    );
    await say('CL2', 'UA1', 'not stored once it is off');
    await say('CMARK', 'UA1', 'the marker message');
    await waitForStored('slack', fake().teamId, 'CMARK', 'the marker message');
    expect(await texts('CL2')).toEqual(['stored while it is on', 'after the retry']);
    expect(await texts('COFF')).toEqual([]);
  });

  it('refuses /lstm-settings learning on to a member, privately, and stores nothing', async () => {
    const refused = await settings('CL3', 'UMEMBER', 'learning on');
    expect(JSON.parse(refused.body)).toEqual({ response_type: 'ephemeral', text: renderReply('settings.forbidden') });
    await switchOn('CMARK', 'learning');
    await say('CL3', 'UA1', 'not stored here');
    await say('CMARK', 'UA1', 'the marker message');
    await probe().waitForStored('slack', fake().teamId, 'CMARK', 'the marker message');
    expect(await texts('CL3')).toEqual([]);
  });

  it('/forget me removes the caller’s live-stored messages, and their new ones are not stored', async () => {
    const { waitForStored } = probe();
    await switchOn('CL4', 'learning');
    await say('CL4', 'UGONE', 'remember this of mine');
    await say('CL4', 'UA1', 'and this of someone else');
    await waitForStored('slack', fake().teamId, 'CL4', 'and this of someone else');
    const fields = { command: '/forget', text: 'me', user_id: 'UGONE', channel_id: 'CL4', team_id: fake().teamId };
    const forget = await postSlashCommand(url(), { ...fields, response_url: fake().responseUrl('f-UGONE') }, signing);
    expect(JSON.parse(forget.body).text).toContain('1 of your stored messages are deleted');
    expect(await texts('CL4')).toEqual(['and this of someone else']);
    await say('CL4', 'UGONE', 'this one of mine neither');
    await say('CL4', 'UA1', 'the marker after it');
    await waitForStored('slack', fake().teamId, 'CL4', 'the marker after it');
    expect(await texts('CL4')).toEqual(['and this of someone else', 'the marker after it']);
  });
});

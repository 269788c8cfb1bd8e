import { describe, expect, test } from 'vitest';
import type { BotConfig } from '../../src/main/start-bot.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { liveProbe } from '../helpers/live-probe.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import { discordSetting } from './fake-discord/discord-live-helpers.js';
import {
  MANAGE_CHANNELS,
  MEMBER_PERMISSIONS,
  type FakeDiscord,
  type RecordedRequest,
} from './fake-discord/fake-discord.js';
import type { PostedMessage } from './fake-discord/fake-discord-message.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';

/**
 * Chatter on Discord through the real discord.js client on the fake gateway: with the channel's chance
 * above 0 and the draw forced, a person's message is continued unprompted (a reply to it), through the
 * same queue and worker as /continue. Learning is on in these channels: a message is stored once its
 * chatter was decided, so a stored message tells that the bot made up its mind about it.
 */
describe('Discord chatter through the real pipeline', () => {
  const scope = usePipelineScope();
  const person = '5555555555555555';

  async function start(config: Partial<BotConfig>, chance: number | null = 0.2) {
    const fake = await startDiscordPipeline(scope, { CHATTER_COOLDOWN_MS: 0, ...config }, () => {}, {
      messageContent: true,
      random: () => 0,
    });
    const probe = liveProbe(scope);
    if (chance !== null) await probe.setChatter('discord', fake.guildId, fake.channelId, chance);
    await discordSetting(fake, 'learning', 'on');
    /** Posts a message and waits until the bot has decided about it (it is stored). */
    const say = async (content: string, options: { authorId?: string; bot?: boolean } = {}) => {
      const sent = fake.sendMessage({ content, authorId: person, ...options });
      if (!options.bot) await probe.waitForStored('discord', fake.guildId, fake.channelId, content);
      return sent.id;
    };
    return { fake, probe, say };
  }

  const repliesTo = (fake: FakeDiscord, id: string) =>
    fake
      .requestsMatching('POST', new RegExp(`^/channels/${fake.channelId}/messages$`))
      .map((r) => r.body as PostedMessage)
      .filter((p) => p.message_reference?.message_id === id);
  const answerTo = async (fake: FakeDiscord, id: string) =>
    (
      await fake.waitForRequest(
        (r: RecordedRequest) => r.method === 'POST' && (r.body as PostedMessage).message_reference?.message_id === id,
      )
    ).body as PostedMessage;

  test('continues a message that wins the draw, never the next one, then again', async () => {
    const { fake, probe, say } = await start({});
    const first = await say('the weather today');
    expect((await answerTo(fake, first)).content).toBe('the weather today basew0 basew1 basew2 basew3 basew4');
    const second = await say('and then it rained');
    const third = await say('the sun came back');
    await answerTo(fake, third);
    expect(repliesTo(fake, second)).toEqual([]);
    expect(await probe.generateJobs()).toBe(2);
  });

  test('stays silent within the cooldown', async () => {
    const { fake, probe, say } = await start({ CHATTER_COOLDOWN_MS: 60_000 });
    await answerTo(fake, await say('the weather today'));
    await say('and then it rained');
    const third = await say('the sun came back');
    expect(repliesTo(fake, third)).toEqual([]);
    expect(await probe.generateJobs()).toBe(1);
  });

  test('never answers bots or itself, and leaves a mention to the mention answer', async () => {
    const { fake, probe, say } = await start({});
    await discordSetting(fake, 'mentions', 'on');
    const bot = await say('a bot says this', { authorId: '8888888888888888', bot: true });
    const own = await say('the bot says this', { authorId: fake.botUserId, bot: true });
    const mention = await say(`<@${fake.botUserId}> the weather today`);
    expect((await answerTo(fake, mention)).content).toBe('the weather today basew0 basew1 basew2 basew3 basew4');
    const human = await say('a person says this');
    await answerTo(fake, human);
    expect([...repliesTo(fake, bot), ...repliesTo(fake, own)]).toEqual([]);
    expect(repliesTo(fake, mention)).toHaveLength(1);
    expect(await probe.generateJobs()).toBe(2);
  });

  test('says nothing where the chance is 0', async () => {
    const zero = await start({}, 0);
    await zero.say('the weather today');
    await zero.say('and then it rained');
    expect(await zero.probe.generateJobs()).toBe(0);
    expect(zero.fake.requestsMatching('POST', /\/messages$/)).toEqual([]);
  });

  test('says nothing where chatter was never set', async () => {
    const unset = await start({}, null);
    await unset.say('the weather today');
    expect(await unset.probe.generateJobs()).toBe(0);
  });

  test('rate limited, it stays silent: no refusal is posted', async () => {
    const { fake, probe, say } = await start({ RATE_LIMIT_CHANNEL_PER_MINUTE: 1 });
    await answerTo(fake, await say('the weather today'));
    await say('and then it rained');
    const limited = await say('the sun came back');
    expect(repliesTo(fake, limited)).toEqual([]);
    expect(JSON.stringify(fake.requestsMatching('POST', /\/messages$/))).not.toContain('too fast');
    expect(await probe.generateJobs()).toBe(1);
  });

  test('without the Message Content intent, /settings chatter above 0 is refused and nothing changes', async () => {
    const fake = await startDiscordPipeline(scope, {}, () => {}, { messageContent: false });
    const { token } = fake.sendInteraction({
      name: 'settings',
      options: [{ name: 'chatter', type: 1, options: [{ name: 'chance', type: 10, value: 0.05 }] }],
      permissions: MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    });
    const reply = await fake.waitForRequest((r) => {
      const body = r.body as { content?: string; data?: { content?: string } } | undefined;
      return r.path.includes(`/${token}`) && typeof (body?.content ?? body?.data?.content) === 'string';
    });
    const body = reply.body as { content?: string; data?: { content?: string } };
    expect(body.content ?? body.data?.content).toBe(renderReply('settings.messagesUnreadable'));
    const stored = await liveProbe(scope).redis.hget(
      `${scope.prefix}:settings:discord/${fake.guildId}/${fake.channelId}`,
      'chatter',
    );
    expect(stored).toBeNull();
  });
});

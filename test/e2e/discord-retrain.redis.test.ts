import { realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDiscordHistoryReader } from '../../src/adapters/discord/create-discord-history-reader.js';
import { DiscordChatAdapter } from '../../src/adapters/discord/discord-chat-adapter.js';
import type { ChannelRef } from '../../src/commands/channel-ref.js';
import type { Bot } from '../../src/main/start-bot.js';
import { modelPaths } from '../../src/model/store/model-location.js';
import { ModelResolver } from '../../src/model/store/model-resolver.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { startTestBot } from '../helpers/pipeline-harness.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startRetrainBackEnd, type RetrainHarness } from '../helpers/retrain-harness.js';
import { capturingLogger, discordTestConfig } from './fake-discord/discord-test-config.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS, type FakeChannel } from './fake-discord/fake-discord.js';
import { snowflake } from './fake-discord/snowflake.js';

/**
 * `/retrain` on Discord from start to end with real parts: discord.js on the fake gateway, the
 * channel's history read through the fake's REST by a real trainer, every state of the status (and
 * the summary) an edit of the interaction's one response, then `/continue` in that channel answered
 * by the new model version (a real LSTM worker) while another channel keeps the base model.
 */
describe('Discord /retrain: one response edited in place, then the new model answers', () => {
  let fake: FakeDiscord;
  let prefix: string;
  let backEnd: RetrainHarness;
  let bot: Bot;
  let trained: FakeChannel;
  let other: FakeChannel;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    prefix = testPrefix();
    trained = fake.addChannel({});
    other = fake.addChannel({});
    const start = Date.now() - 1_000_000;
    for (const [i, m] of channelMessages('zorblax', 200, ['10001', '10002']).entries()) {
      trained.messages.push({
        id: snowflake(start + i * 1_000),
        channelId: trained.id,
        authorId: m.author!,
        content: m.text,
        timestampMs: start + i * 1_000,
      });
    }
    const config = discordTestConfig(fake);
    const discordHistory = createDiscordHistoryReader(config)!;
    backEnd = await startRetrainBackEnd(TEST_REDIS_URL, prefix, { discord: (options) => discordHistory(options) });
    const adapter = new DiscordChatAdapter({ config, logger: capturingLogger().logger });
    bot = await startTestBot(TEST_REDIS_URL, prefix, backEnd.modelsDir, [adapter]);
  });

  afterEach(async () => {
    await bot?.close();
    await backEnd?.close();
    await fake.close();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  const editsOf = (token: string) =>
    fake
      .requestsMatching('PATCH', new RegExp(`/${token}/messages/@original$`))
      .map((r) => (r.body as { content: string }).content);
  const answerOf = async (token: string) =>
    (
      (await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`)))
        .body as { content: string }
    ).content;

  test('an admin retrains on the channel history, watches one message, and the channel gets its own model', async () => {
    const { token } = fake.sendInteraction({
      name: 'retrain',
      options: [{ name: 'start', type: 1, options: [{ name: 'messages', type: 4, value: 200 }] }],
      channelId: trained.id,
      permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
    });
    const summary = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path.endsWith(`/${token}/messages/@original`) &&
        /^Retrained/.test((r.body as { content: string }).content),
    );
    const edits = editsOf(token);
    // The acknowledgement first, unless a later state overtook it (a newer state is never replaced by
    // an older one): the trainer's first, or on a busy machine the queue's "waiting, position 1".
    expect(edits[0]).toMatch(
      /^Retraining(: reading|: waiting for other trainings| on up to 200 stored messages of this channel: queued \(position 1\))/,
    );
    // ... and never after a newer state.
    expect(edits.slice(1).filter((text) => text.includes(': queued ('))).toEqual([]);
    expect(edits.some((text) => /^Retraining: reading this channel's history, \d+ new messages/.test(text))).toBe(true);
    expect(edits.some((text) => /^Retraining: epoch \d+\/2, batch \d+\/\d+, loss \d+\.\d\d [▁-█]+/.test(text))).toBe(
      true,
    );
    expect(edits.at(-1)).toBe((summary.body as { content: string }).content);
    expect(edits.at(-1)).toMatch(
      /^Retrained this channel's model on 200 messages in \d+ s: learned \d+ new words \(.*zorblax.*\); perplexity on the newest messages \d+\.\d -> \d+\.\d \(\d+\.\d mixed with the channel's word-sequence counts, as it replies\)\./,
    );
    expect(fake.originalOf(token)?.content).toBe(edits.at(-1));
    // One message: no follow-ups, nothing posted in the channel besides the interaction's response.
    expect(fake.requestsMatching('POST', new RegExp(`/webhooks/${fake.applicationId}/${token}$`))).toHaveLength(0);
    expect(fake.requestsMatching('POST', new RegExp(`^/channels/${trained.id}/messages$`))).toHaveLength(0);

    const channel: ChannelRef = { platform: 'discord', workspace: fake.guildId, channel: trained.id };
    const resolved = await new ModelResolver(modelPaths({ MODELS_DIR: backEnd.modelsDir }), 0).resolve(channel);
    expect(resolved?.scope).toBe('channel');
    const status = fake.sendInteraction({ name: 'status', channelId: trained.id });
    expect(await answerOf(status.token)).toContain(`Model: this channel's own model, version ${resolved?.version}`);
    const otherStatus = fake.sendInteraction({ name: 'status', channelId: other.id });
    expect(await answerOf(otherStatus.token)).toMatch(/^Model: the base model, version /);

    const ask = (channelId: string) =>
      fake.sendInteraction({
        name: 'continue',
        options: [
          { name: 'prompt', type: 3, value: 'the dog' },
          { name: 'words', type: 4, value: 4 },
        ],
        channelId,
      });
    expect(await answerOf(ask(trained.id).token)).toMatch(/^the dog\b/);
    const newVersion = relative(await realpath(backEnd.modelsDir), resolved!.dir);
    expect(newVersion).toMatch(/^channels\/discord\/.*\/versions\//);
    expect(backEnd.loaded).toEqual([newVersion]);
    expect(await answerOf(ask(other.id).token)).toMatch(/^the dog\b/);
    expect(backEnd.loaded).toEqual([newVersion, 'base']);
  });
});

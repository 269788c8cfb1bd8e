import { MessageFlags } from 'discord.js';
import { describe, expect, test } from 'vitest';
import { continueMessagePolicy } from '../../src/commands/command-policy.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import {
  MANAGE_CHANNELS,
  MEMBER_PERMISSIONS,
  type FakeDiscord,
  type RecordedRequest,
} from './fake-discord/fake-discord.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';

interface Posted {
  content?: string;
  flags?: number;
  allowed_mentions?: unknown;
}

/**
 * "Continue this message": a MESSAGE command interaction (its target in `resolved.messages`) through
 * the real discord.js client on the fake gateway, the command handlers, BullMQ on Redis, a generation
 * worker and reply delivery editing the deferred response.
 */
describe('Discord "Continue this message" through the real pipeline', () => {
  const scope = usePipelineScope();

  const start = (overrides = {}): Promise<FakeDiscord> => startDiscordPipeline(scope, overrides);

  const editOf = (fake: FakeDiscord, token: string) =>
    fake
      .waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`))
      .then((r) => r.body as Posted);
  const followupOf = (fake: FakeDiscord, token: string) =>
    fake
      .waitForRequest(
        (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${token}`,
      )
      .then((r) => r.body as Posted);
  const continueMessage = (fake: FakeDiscord, content: string, userId?: string) =>
    fake.sendInteraction({
      name: continueMessagePolicy.name,
      targetMessage: { content },
      ...(userId ? { userId } : {}),
    });

  const callbackOf = (fake: FakeDiscord, token: string) =>
    fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/${token}/callback`)).then((r) => r.body);
  const setSwitch = (fake: FakeDiscord, permissions: bigint) =>
    fake.sendInteraction({
      name: 'settings',
      options: [{ name: 'continue_message', type: 1, options: [{ name: 'state', type: 3, value: 'on' }] }],
      permissions,
    });

  async function switchOn(fake: FakeDiscord): Promise<void> {
    const { token } = setSwitch(fake, MEMBER_PERMISSIONS | MANAGE_CHANNELS);
    expect((await editOf(fake, token)).content).toBe(renderReply('settings.continueMessageOn'));
  }

  test('with continue_message on, the chosen message is continued in the channel, its mentions inert', async () => {
    const fake = await start();
    await switchOn(fake);
    const { token } = continueMessage(fake, 'the weather <@42> @everyone');
    const answer = await editOf(fake, token);
    expect(answer.content).toBe('the weather <\u200b@42> @\u200beveryone basew0 basew1 basew2 basew3 basew4');
    expect(answer.allowed_mentions).toEqual({ parse: [] });
    const callback = fake.requestsMatching('POST', new RegExp(`/${token}/callback$`));
    expect(callback.map((r) => r.body)).toEqual([{ type: 5, data: { flags: 0 } }]);
  });

  test('with continue_message off (the default), the caller is told so, privately', async () => {
    const fake = await start();
    const { token } = continueMessage(fake, 'nobody continues this');
    const refusal = await followupOf(fake, token);
    expect(refusal.content).toBe(renderReply('continueMessage.off'));
    expect(refusal.flags).toBe(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds);
    expect(fake.originalOf(token)).toBeUndefined();
  });

  test('a message without text (an image only) gets the short answer, privately, without deferring', async () => {
    const fake = await start();
    await switchOn(fake);
    const { token } = continueMessage(fake, '');
    const content = renderReply('continueMessage.empty');
    expect(await callbackOf(fake, token)).toMatchObject({ type: 4, data: { content } });
  });

  test('counts against the same rate limits as /continue', async () => {
    const fake = await start({ RATE_LIMIT_USER_PER_MINUTE: 1 });
    await switchOn(fake);
    const userId = '4444444444444444';
    const first = continueMessage(fake, 'one', userId);
    expect((await editOf(fake, first.token)).content).toMatch(/^one basew0/);
    const second = continueMessage(fake, 'two', userId);
    expect((await followupOf(fake, second.token)).content).toMatch(/^You are sending requests too fast/);
  });

  test('only Manage Channels turns it on; /settings shows it to everyone', async () => {
    const fake = await start();
    const refused = setSwitch(fake, MEMBER_PERMISSIONS);
    const content = renderReply('settings.forbidden');
    expect(await callbackOf(fake, refused.token)).toMatchObject({ type: 4, data: { content } });
    await switchOn(fake);
    const show = fake.sendInteraction({ name: 'settings', options: [{ name: 'show', type: 1, options: [] }] });
    expect((await editOf(fake, show.token)).content).toContain('Continue this message: on');
  });
});

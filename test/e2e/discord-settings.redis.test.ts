import { describe, expect, test } from 'vitest';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import type { GenerateJobData } from '../../src/queue/generate-job.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { usePipelineScope } from '../helpers/pipeline-harness.js';
import { queueJobData } from '../helpers/queue-counts.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { MANAGE_CHANNELS, MEMBER_PERMISSIONS, type FakeDiscord } from './fake-discord/fake-discord.js';
import { startDiscordPipeline } from './fake-discord/start-discord-pipeline.js';

const SUBCOMMAND = 1;
const INTEGER = 4;
const NUMBER = 10;
const MANAGER = MEMBER_PERMISSIONS | MANAGE_CHANNELS;

/**
 * `/settings temperature|min_words|chatter [value]` through the real discord.js client on the fake
 * gateway, the command handlers and settings on Redis, and a following `/continue`'s generation job.
 */
describe('Discord /settings numeric values through the real pipeline', () => {
  const scope = usePipelineScope();

  const contentOf = async (fake: FakeDiscord, token: string): Promise<string | undefined> => {
    const answer = await fake.waitForRequest(
      (r) =>
        (r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`)) ||
        (r.method === 'POST' && r.path.endsWith(`/${token}/callback`) && (r.body as { type?: number }).type === 4),
    );
    const body = answer.body as { content?: string; data?: { content?: string } };
    return body.content ?? body.data?.content;
  };
  const settings = (fake: FakeDiscord, sub: string, value?: { name: string; type: number; value: number }) =>
    contentOf(
      fake,
      fake.sendInteraction({
        name: 'settings',
        options: [{ name: sub, type: SUBCOMMAND, options: value ? [value] : [] }],
        permissions: MANAGER,
      }).token,
    );
  const show = (fake: FakeDiscord) => settings(fake, 'show');
  const continueWith = (fake: FakeDiscord, prompt: string, words?: number) =>
    contentOf(
      fake,
      fake.sendInteraction({
        name: 'continue',
        options: [
          { name: 'prompt', type: 3, value: prompt },
          ...(words === undefined ? [] : [{ name: 'words', type: INTEGER, value: words }]),
        ],
      }).token,
    );
  const minWordsOfJob = async (prompt: string) => {
    const jobs = await queueJobData<GenerateJobData>(TEST_REDIS_URL, scope.prefix, GENERATE_QUEUE);
    return jobs.find((job) => job.prompt === prompt)?.options.minWords;
  };

  test('a manager sets min_words; the next /continue asks for that many; without a value it is the default again', async () => {
    const fake = await startDiscordPipeline(scope, { MIN_WORDS: 2 });
    expect(await settings(fake, 'min_words', { name: 'words', type: INTEGER, value: 12 })).toBe(
      renderReply('settings.minWordsSet', { value: 12 }),
    );
    expect(await show(fake)).toContain('Min words: 12\n');
    expect(await continueWith(fake, 'the weather', 20)).toMatch(/^the weather basew0 .* basew19$/);
    expect(await minWordsOfJob('the weather')).toBe(12);
    await continueWith(fake, 'fewer words');
    expect(await minWordsOfJob('fewer words')).toBe(5); // DEFAULT_WORDS of the harness: never more than asked for

    expect(await settings(fake, 'min_words')).toBe(renderReply('settings.minWordsReset', { value: 2 }));
    expect(await show(fake)).toContain('Min words: 2 (the default)\n');
    await continueWith(fake, 'the default again', 20);
    expect(await minWordsOfJob('the default again')).toBe(2);
  });

  test('a member is refused at once with the catalogue sentence, and nothing changes', async () => {
    const fake = await startDiscordPipeline(scope);
    const { token } = fake.sendInteraction({
      name: 'settings',
      options: [{ name: 'chatter', type: SUBCOMMAND, options: [{ name: 'chance', type: NUMBER, value: 0.1 }] }],
      permissions: MEMBER_PERMISSIONS,
    });
    expect(await contentOf(fake, token)).toBe(renderReply('settings.forbidden'));
    expect(await show(fake)).toMatch(/\nChatter: off \(the default\)$/);
  });

  test('refuses a chatter out of range (a stale registration lets it through) and shows a chatter and temperature set', async () => {
    // Chatter reads every message's text: the deployment has the Message Content intent.
    const fake = await startDiscordPipeline(scope, {}, () => {}, { messageContent: true });
    expect(await settings(fake, 'chatter', { name: 'chance', type: NUMBER, value: 0.5 })).toBe(
      renderReply('settings.badChatter', { min: 0, max: 0.2 }),
    );
    expect(await settings(fake, 'chatter', { name: 'chance', type: NUMBER, value: 0.05 })).toBe(
      renderReply('settings.chatterSet', { value: 0.05 }),
    );
    expect(await settings(fake, 'temperature', { name: 'value', type: NUMBER, value: 1.5 })).toBe(
      renderReply('temperature.set', { value: 1.5 }),
    );
    const shown = await show(fake);
    expect(shown).toContain('Temperature: 1.5\n');
    expect(shown).toMatch(/\nChatter: 5% of messages/);
    expect(await settings(fake, 'chatter')).toBe(renderReply('settings.chatterReset'));
    expect(await settings(fake, 'temperature')).toBe(renderReply('temperature.reset', { value: 0.8 }));
    expect(await show(fake)).toMatch(/^Temperature: 0\.8 \(the default\)\n[^]*\nChatter: off \(the default\)$/);
  });
});

import { describe, expect, it } from 'vitest';
import { GENERATE_QUEUE } from '../../src/queue/queue-names.js';
import type { GenerateJobData } from '../../src/queue/generate-job.js';
import { renderReply } from '../../src/replies/reply-catalogue.js';
import { queueJobData } from '../helpers/queue-counts.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';
import { useSlackChannelPipeline } from './fake-slack/slack-channel-harness.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * `/lstm-settings temperature|min_words|chatter [value]` through the real Bolt app on the fake Slack,
 * the command handlers and settings on Redis, and a following `/continue`'s generation job.
 */
const SIGNING_SECRET = 'settings-test-signing-secret';
const { fake, url, signing, prefix } = useSlackChannelPipeline(SIGNING_SECRET, { MIN_WORDS: 2 });
let requests = 0;

/**
 * `command text` by `user` in `channel`: the acknowledgement's text when it carries one (a private
 * answer or refusal), else the text posted to the command's response_url (a public announcement).
 */
async function slash(command: string, text: string, user = 'UADMIN', channel = 'CST1'): Promise<string> {
  const id = `r${(requests += 1)}`;
  const fields = { command, text, user_id: user, channel_id: channel, team_id: fake().teamId };
  const acked = await postSlashCommand(url(), { ...fields, response_url: fake().responseUrl(id) }, signing);
  expect(acked.status).toBe(200);
  const body = acked.body ? (JSON.parse(acked.body) as { text?: string }) : {};
  if (body.text && body.text !== renderReply('continue.queued')) return body.text;
  const posted = await fake().waitFor(() =>
    fake().responsePosts.find(
      (p) => p.id === id && (p.body as { response_type?: string }).response_type === 'in_channel',
    ),
  );
  return String((posted.body as { text?: string }).text);
}

const settings = (text: string, user?: string) => slash('/lstm-settings', text, user);

async function minWordsOfJob(prompt: string): Promise<number | undefined> {
  const jobs = await queueJobData<GenerateJobData>(TEST_REDIS_URL, prefix(), GENERATE_QUEUE);
  return jobs.find((job) => job.prompt === prompt)?.options.minWords;
}

describe('Slack /lstm-settings numeric values through the real pipeline', () => {
  it('an admin sets min_words; the next /continue asks for that many; the setting alone brings the default back', async () => {
    expect(await settings('min_words 12')).toBe(renderReply('settings.minWordsSet', { value: 12 }));
    expect(await settings('')).toContain('Min words: 12\n');
    expect(await slash('/continue', 'the weather --words 20')).toMatch(/^the weather basew0 .* basew19$/);
    expect(await minWordsOfJob('the weather')).toBe(12);
    expect(await slash('/continue', 'my own --min-words 3 --words 20')).toMatch(/^my own basew0/);
    expect(await minWordsOfJob('my own')).toBe(3);

    expect(await settings('min_words')).toBe(renderReply('settings.minWordsReset', { value: 2 }));
    expect(await settings('')).toContain('Min words: 2 (the default)\n');
    await slash('/continue', 'default again --words 20');
    expect(await minWordsOfJob('default again')).toBe(2);
  });

  it('refuses a member with the catalogue sentence, privately, and changes nothing', async () => {
    expect(await settings('chatter 0.1', 'UMEMBER')).toBe(renderReply('settings.forbidden'));
    expect(await settings('', 'UMEMBER')).toMatch(/\nChatter: off \(the default\)$/);
  });

  it('refuses a chatter out of range and a min_words that is not a whole number, naming the range', async () => {
    expect(await settings('chatter 0.5')).toBe(renderReply('settings.badChatter', { min: 0, max: 0.2 }));
    expect(await settings('min_words abc')).toBe(renderReply('settings.badMinWords', { min: 0, max: 200 }));
    expect(await settings('min_words 2.5')).toBe(renderReply('settings.badMinWords', { min: 0, max: 200 }));
    expect(await settings('')).toMatch(/^Temperature: 0\.8 \(the default\)\nMin words: 2 \(the default\)\n/);
  });

  it('sets chatter and the temperature, shows them, and resets both', async () => {
    expect(await settings('chatter 0.05')).toBe(renderReply('settings.chatterSet', { value: 0.05 }));
    expect(await settings('temperature 1.5')).toBe(renderReply('temperature.set', { value: 1.5 }));
    expect(await slash('/temperature', '')).toContain('1.5');
    const shown = await settings('');
    expect(shown).toContain('Temperature: 1.5\n');
    expect(shown).toMatch(/\nChatter: 5% of messages/);
    expect(await settings('chatter')).toBe(renderReply('settings.chatterReset'));
    expect(await settings('temperature')).toBe(renderReply('temperature.reset', { value: 0.8 }));
    expect(await settings('')).toMatch(/^Temperature: 0\.8 \(the default\)\n[^]*\nChatter: off \(the default\)$/);
  });
});

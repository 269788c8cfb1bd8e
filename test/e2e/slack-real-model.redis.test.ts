import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerator } from '../../src/main/load-generator.js';
import { deleteKeys, removeDir, TEST_REDIS_URL, testPrefix } from '../helpers/redis-test-env.js';
import { startSlackPipeline, type SlackPipeline } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

/**
 * A Slack `/continue` answered by the real LSTM (the tiny model trained on test/fixtures'
 * dialogue, loaded by the worker's own loader: tokenizer, batched fused-cell sampler, detokenizer
 * on tfjs-node) inside a real generation worker.
 */
const SIGNING_SECRET = 'real-model-signing-secret';
const fake = new FakeSlack();
const prefix = testPrefix();
let modelsDir: string;
let pipeline: SlackPipeline;

beforeAll(async () => {
  await fake.start();
  modelsDir = await mkdtemp(join(tmpdir(), 'lstm-bot-slack-real-'));
  await symlink(resolve('test/fixtures/models/tiny'), join(modelsDir, 'base'));
  const run = { signingSecret: SIGNING_SECRET, prefix, modelsDir };
  pipeline = await startSlackPipeline(fake, run, { loadGenerator: (dir) => loadGenerator(dir) });
});

afterAll(async () => {
  await pipeline?.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await removeDir(modelsDir);
  await fake.stop();
});

describe('Slack /continue answered by the real LSTM generator in a worker', () => {
  it('posts the prompt and a continuation of at most the asked words in the channel, pinging nobody', async () => {
    const { status } = await postSlashCommand(
      `http://127.0.0.1:${pipeline.adapter.port}/slack/events`,
      {
        command: '/continue',
        text: 'did you see <!here> the game --words 6 --temperature 0.7',
        user_id: 'UMEMBER',
        channel_id: 'CREAL',
        team_id: fake.teamId,
        response_url: fake.responseUrl('real'),
      },
      { signingSecret: SIGNING_SECRET },
    );
    expect(status).toBe(200);
    const answer = await fake.waitFor(
      () => fake.responsePosts.find((p) => p.id === 'real' && p.body.response_type === 'in_channel')?.body,
    );
    const text = String(answer.text);
    // The model's prompt echo renders any mass mention as an inert placeholder; nothing survives that pings.
    expect(text).not.toMatch(/<[@!#]|@(here|channel|everyone)\b/);
    expect(text).toMatch(/^did you see @\W?\w+ the game\b/); // the continuation may start with punctuation
    const continuation = text.slice(text.indexOf(' the game') + ' the game'.length);
    const words = continuation.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w));
    expect(words.length).toBeGreaterThan(0);
    expect(words.length).toBeLessThanOrEqual(6);
  });

  it('echoes @here, @channel and a link as written but inert, and asks Slack for no preview', async () => {
    await postSlashCommand(
      `http://127.0.0.1:${pipeline.adapter.port}/slack/events`,
      {
        command: '/continue',
        text: 'did <!here> and <!channel> see <https://example.com/a?b=1> --words 2',
        user_id: 'UMEMBER',
        channel_id: 'CREAL',
        team_id: fake.teamId,
        response_url: fake.responseUrl('echo'),
      },
      { signingSecret: SIGNING_SECRET },
    );
    const answer = await fake.waitFor(
      () => fake.responsePosts.find((p) => p.id === 'echo' && p.body.response_type === 'in_channel')?.body,
    );
    expect(String(answer.text)).toMatch(
      /^did @\u200bhere and @\u200bchannel see https\u200b:\/\/example\.\u200bcom\/a\?b=1(?=[\s\p{P}])/u,
    );
    expect(answer).toMatchObject({ parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false });
  });
});

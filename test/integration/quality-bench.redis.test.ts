import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { qualityBench } from '../../src/bench/quality-bench.js';
import { formatReplyTable } from '../../src/bench/quality-table.js';
import { CACHE_THETAS, CACHE_WINDOWS } from '../../src/model/evaluation/fit-mixture-weights.js';
import { channelMessages } from '../helpers/channel-messages.js';
import { TEST_REDIS_URL } from '../helpers/redis-test-env.js';

const root = await mkdtemp(join(tmpdir(), 'lstm-bot-quality-test-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('qualityBench', () => {
  it('retrains a room with fineTuneChannel and scores it against Kneser-Ney on the same tokens, leaving nothing in Redis', async () => {
    const corpus = join(root, 'rooms.jsonl');
    const line = (channel: string) => (m: { text: string; author?: string }) => JSON.stringify({ channel, ...m });
    const lines = [
      ...channelMessages('quuxly', 50).map(line('other')),
      ...channelMessages('zorblax', 240, ['ana', 'bob']).map((m, i) =>
        line('general')({ ...m, text: i % 5 === 0 ? `ana: ${m.text}` : m.text }),
      ),
    ];
    await writeFile(corpus, lines.join('\n') + '\n');
    const redis = new Redis(TEST_REDIS_URL);
    const keysBefore = (await redis.keys('lstm-bot-bench-quality-*')).length;

    const result = await qualityBench({
      corpus,
      room: 'general',
      modelDir: 'test/fixtures/models/tiny',
      redisUrl: TEST_REDIS_URL,
      messages: 200,
      trainSeconds: 20,
      replies: 6,
    });
    expect(result).toMatchObject({ room: 'general', messages: 200, held_out_messages: 20, published: true });
    expect(result.words_added).toBeGreaterThan(0);
    expect(result.tokens_scored).toBeGreaterThan(100);
    for (const perplexity of [result.perplexity_kn3, result.perplexity_kn2, result.perplexity_finetuned]) {
      expect(perplexity).toBeGreaterThan(1);
      expect(perplexity).toBeLessThan(result.perplexity_base);
    }
    expect(result.base_unknown_rate).toBeGreaterThan(result.unknown_rate);
    // The mixture as the retrained model samples it: the weights of its card, with its cache when it has weight.
    const { mixture } = result;
    expect(mixture.weights_from).toBe('model');
    expect(mixture.perplexity_as_sampled).toBe(
      mixture.cache_weights[2] > 0 ? mixture.perplexity_mixture_cache : mixture.perplexity_mixture,
    );
    expect(mixture.perplexity_lstm_check).toBeCloseTo(result.perplexity_finetuned, 3);
    // The LSTM with the cache and no trigram: fitted on the validation split, never worse there than
    // the LSTM alone (λ = 1 is on the grid), and scored on the same held-out positions.
    expect(mixture.lstm_cache.lstm_weight).toBeGreaterThan(0);
    expect(mixture.lstm_cache.lstm_weight).toBeLessThanOrEqual(1);
    expect(CACHE_WINDOWS).toContain(mixture.lstm_cache.window);
    expect(CACHE_THETAS).toContain(mixture.lstm_cache.theta);
    expect(CACHE_THETAS).toContain(mixture.cache_theta);
    expect(mixture.lstm_cache.perplexity).toBeGreaterThan(1);
    if (mixture.lstm_cache.lstm_weight === 1)
      expect(mixture.lstm_cache.perplexity).toBeCloseTo(result.perplexity_finetuned, 3);
    // Every held-out message scored given nothing and given its preceding 8 messages, the same targets.
    expect(result.context).toMatchObject({ context_messages: 8, context_tokens_max: 200, messages: 20 });
    expect(result.context.tokens).toBeGreaterThan(20);
    expect(result.context.context_tokens_mean).toBeGreaterThan(0);
    expect(result.context.context_tokens_mean).toBeLessThanOrEqual(200);
    for (const perplexity of [result.context.perplexity_no_context, result.context.perplexity_with_context])
      expect(perplexity).toBeGreaterThan(1);
    expect(result.replies.replies).toBe(6);
    expect(result.replies.meanWords).toBeGreaterThanOrEqual(8); // MIN_WORDS by default
    expect(result.replies.distinct2).toBeGreaterThan(0);
    // The retrained model has its copy guard: no reply repeats a training 6-gram; the LSTM alone (no
    // n-gram mixture) keeps the guard too.
    expect(result.replies.copied6gramRate).toBe(0);
    expect(result.replies_lstm_alone?.copied6gramRate).toBe(0);
    // What people wrote, measured the same way: the held-out messages after their prompt words.
    expect(result.held_out_reference.replies).toBe(6);
    expect(result.held_out_reference.copied6gramRate).toBeGreaterThan(0);
    expect(result.examples).toHaveLength(3);
    // Generated through the memory of recent replies (its keys gone with the rest), judged by the base model.
    expect(result.replies).toMatchObject({ recent_replies: 100, recent_reply_penalty: 0.12 });
    for (const judged of [result.replies, result.replies_lstm_alone!, result.held_out_reference]) {
      expect(judged.judge_perplexity).toBeGreaterThan(1);
      expect(judged.judge_perplexity_known).toBeGreaterThan(1);
      expect(judged.judge_unknown_rate).toBeGreaterThanOrEqual(0);
    }
    // The same prompts with context on: each given the stored messages before its message, as a worker
    // reads them (at most 8, 2,000 characters), measured the same way.
    expect(result.replies_with_context).toMatchObject({ replies: 6, context_messages: 8, context_chars: 2000 });
    expect(result.replies_with_context!.meanWords).toBeGreaterThanOrEqual(8);
    expect(result.replies_with_context!.copied6gramRate).toBe(0);
    expect(result.replies_with_context!.judge_perplexity).toBeGreaterThan(1);
    const table = formatReplyTable([result]).split('\n');
    expect(table.filter((row) => row.startsWith('| general |')).map((row) => row.split(' | ')[1])).toEqual([
      'at the defaults (context off)',
      'with context (8 messages, ≤2000 characters)',
      ...(result.replies_with_context_without_cache ? ['with context, the mixture without its cache'] : []),
      'the LSTM alone',
      ...(result.replies_without_cache ? ['the mixture without its cache'] : []),
      'people (the held-out messages after the same prompts)',
    ]);
    expect((await redis.keys('lstm-bot-bench-quality-*')).length).toBe(keysBefore);
    redis.disconnect();
  });
});

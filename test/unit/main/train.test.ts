import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../../src/main/evaluate.js';
import { commandLine } from '../../../src/main/model-commands.js';
import { runTokenize } from '../../../src/main/tokenize-corpus.js';
import { formatTrainEvent, runTrain, trainCommandDefaults, type TrainCommandOptions } from '../../../src/main/train.js';
import { loadModel } from '../../../src/model/store/load-model.js';
import { disposeParams } from '../../../src/model/lstm/lstm-params.js';

const FIXTURE = new URL('../../fixtures/tiny-dialogue.txt', import.meta.url).pathname;
const root = await mkdtemp(join(tmpdir(), 'lstm-bot-train-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const tiny = (over: Partial<TrainCommandOptions>): TrainCommandOptions => ({
  ...trainCommandDefaults,
  corpus: FIXTURE,
  out: join(root, 'model'),
  vocab: 64,
  embedding: 8,
  hidden: 16,
  seq: 8,
  batch: 8,
  epochs: 1,
  validateEvery: 0,
  ...over,
});
const quiet = { command: 'lstm-bot train (test)', log: () => undefined };

describe('lstm-bot train', () => {
  it('trains, saves a model card with the command, and the model evaluates and tokenizes', async () => {
    const lines: string[] = [];
    const card = await runTrain(tiny({ float16: true }), { ...quiet, log: (line) => lines.push(line) });
    expect(lines.some((line) => /^epoch 1\/1 batch \d+\/\d+ loss [\d.]+ lr .* tokens\/s eta /.test(line))).toBe(true);
    expect(card).toMatchObject({
      command: 'lstm-bot train (test)',
      corpus: { name: 'tiny-dialogue.txt', format: 'lines', messages: 480 },
      weights: { dtype: 'float16' },
      licenses: [],
    });
    const loaded = await loadModel(join(root, 'model'));
    expect(loaded.card.id).toBe(card.id);
    disposeParams(loaded.params);

    const evaluation = await runEvaluate({ model: join(root, 'model'), corpus: FIXTURE });
    expect(evaluation.perplexity).toBeLessThan(64);
    expect(evaluation.unknownRate).toBe(0);

    const out: string[] = [];
    await runTokenize({ model: join(root, 'model'), corpus: FIXTURE }, (line) => out.push(line));
    expect(out).toHaveLength(480);
    const first = JSON.parse(out[0]!) as { tokens: string[]; ids: number[] };
    expect(first.tokens.length).toBe(first.ids.length);
    expect(first.tokens).toContain('?');
  });

  it('continues a model on several corpora: chosen channels, names kept out, each corpus its own validation tail', async () => {
    await runTrain(tiny({ out: join(root, 'first') }), quiet);
    const chat = join(root, 'chat.jsonl');
    const line = (channel: string, author: string, text: string) => JSON.stringify({ channel, author, text });
    const messages = Array.from({ length: 60 }, (_, i) => [
      line('help', i % 2 ? 'zedkarlo' : 'amyberg', `${i % 2 ? 'amyberg' : 'zedkarlo'}: run npm install on the server`),
      line('secret', 'amyberg', 'the quuxword stays in its room'),
    ]).flat();
    await writeFile(chat, messages.join('\n') + '\n');
    const lines: string[] = [];
    const card = await runTrain(
      tiny({
        from: join(root, 'first'),
        corpus: [chat, FIXTURE],
        excludeChannels: ['secret'],
        out: join(root, 'more'),
        vocab: 200,
      }),
      { ...quiet, log: (l) => lines.push(l) },
    );
    const first = await loadModel(join(root, 'first'));
    const more = await loadModel(join(root, 'more'));
    try {
      expect(card.continuedFrom).toBe(first.card.id);
      expect(card.config).toEqual({ ...first.card.config, vocabSize: more.vocab.size });
      const tokens = more.vocab.toJSON().tokens;
      expect(tokens.slice(0, first.vocab.size)).toEqual(first.vocab.toJSON().tokens);
      expect(tokens).toEqual(expect.arrayContaining(['npm', 'install', 'server']));
      expect(tokens).not.toContain('quuxword');
      expect(tokens).not.toContain('zedkarlo');
      expect(tokens).not.toContain('amyberg');
      expect(card.corpus.name).toBe('chat.jsonl + tiny-dialogue.txt');
      expect(card.corpora).toHaveLength(2);
      expect(card.corpora![0]).toMatchObject({ name: 'chat.jsonl', messages: 60, excludedChannels: ['secret'] });
      for (const source of card.corpora!) {
        expect(source.validationTokens).toBeGreaterThan(0);
        expect(source.validationPerplexity).toBeGreaterThan(1);
        expect(source.fromPerplexity).toBeGreaterThan(1);
      }
      expect(
        lines.some((l) =>
          /^validation tiny-dialogue\.txt: perplexity [\d.]+ \(first-.*: [\d.]+, same tokens and vocabulary\)$/.test(l),
        ),
      ).toBe(true);
    } finally {
      disposeParams(first.params);
      disposeParams(more.params);
    }
  });

  it('weights a corpus up with --repeat: its training part read and its validation tail scored that many times an epoch', async () => {
    const chat = join(root, 'repeat.jsonl');
    const messages = Array.from({ length: 80 }, (_, i) =>
      JSON.stringify({ channel: 'help', author: 'amyberg', text: `run npm install ${i % 7} on the server` }),
    );
    await writeFile(chat, messages.join('\n') + '\n');
    const batches = (lines: string[]) =>
      Number(/batch \d+\/(\d+) /.exec(lines.find((l) => l.startsWith('epoch'))!)![1]);
    const once: string[] = [];
    const plain = await runTrain(tiny({ corpus: [chat, FIXTURE], out: join(root, 'once') }), {
      ...quiet,
      log: (l) => once.push(l),
    });
    const thrice: string[] = [];
    const card = await runTrain(tiny({ corpus: [chat, FIXTURE], repeat: [3, 1], out: join(root, 'thrice') }), {
      ...quiet,
      log: (l) => thrice.push(l),
    });
    const [weighted, lines] = card.corpora!;
    expect(weighted).toMatchObject({ name: 'repeat.jsonl', repeat: 3 });
    expect(lines!.repeat).toBeUndefined();
    expect(card.corpora!.map((c) => [c.tokens, c.validationTokens])).toEqual(
      plain.corpora!.map((c) => [c.tokens, c.validationTokens]),
    );
    expect(card.corpus.tokens).toBe(plain.corpus.tokens + 2 * weighted!.tokens);
    expect(batches(thrice)).toBeGreaterThan(batches(once));
    expect(card.config.vocabSize).toBe(plain.config.vocabSize);
  });

  it('refuses --repeat counts that do not match the corpora or are not whole numbers from 1 to 100', async () => {
    await expect(runTrain(tiny({ repeat: [2, 1] }), quiet)).rejects.toThrow(
      '--repeat needs one count per --corpus (1), in their order (got 2)',
    );
    for (const wrong of [0, 1.5, Number.NaN, 101]) {
      await expect(runTrain(tiny({ corpus: [FIXTURE, FIXTURE], repeat: [1, wrong] }), quiet)).rejects.toThrow(
        `--repeat counts must be integers from 1 to 100 (got ${wrong})`,
      );
    }
  });

  it('ties a model it continues with --tie-embeddings, and a tied model stays tied when continued', async () => {
    await runTrain(tiny({ out: join(root, 'untied') }), quiet);
    const lines: string[] = [];
    const tied = await runTrain(tiny({ from: join(root, 'untied'), out: join(root, 'tied'), tieEmbeddings: true }), {
      ...quiet,
      log: (l) => lines.push(l),
    });
    expect(tied.config.tiedEmbedding).toBe(true);
    expect(lines.some((l) => /^tying the output layer of untied-.* to its embedding/.test(l))).toBe(true);
    const again = await runTrain(tiny({ from: join(root, 'tied'), out: join(root, 'tied-again') }), quiet);
    expect(again.config.tiedEmbedding).toBe(true);
    const loaded = await loadModel(join(root, 'tied-again'));
    expect(loaded.params.outputProjection?.shape).toEqual([16, 8]);
    disposeParams(loaded.params);
    const evaluation = await runEvaluate({ model: join(root, 'tied-again'), corpus: FIXTURE });
    expect(evaluation.perplexity).toBeLessThan(64);
  });

  it('widens a model it continues with --widen, starting from what it computed, and refuses --widen alone', async () => {
    await runTrain(tiny({ out: join(root, 'narrow'), tieEmbeddings: true }), quiet);
    const lines: string[] = [];
    const wide = await runTrain(tiny({ from: join(root, 'narrow'), out: join(root, 'wide'), widen: 24 }), {
      ...quiet,
      log: (l) => lines.push(l),
    });
    expect(wide.config).toMatchObject({ hiddenSize: 24, embeddingSize: 8, tiedEmbedding: true });
    expect(lines.some((l) => /^widening narrow-.* from 16 to 24 units/.test(l))).toBe(true);
    const loaded = await loadModel(join(root, 'wide'));
    expect(loaded.params.layers[0]!.kernel.shape).toEqual([8 + 24, 96]);
    expect(loaded.params.outputProjection?.shape).toEqual([24, 8]);
    disposeParams(loaded.params);
    await expect(runTrain(tiny({ out: join(root, 'nowhere'), widen: 24 }), quiet)).rejects.toThrow(
      '--widen needs --from',
    );
    await expect(
      runTrain(tiny({ from: join(root, 'narrow'), out: join(root, 'nowhere'), widen: 8 }), quiet),
    ).rejects.toThrow('--widen must be an integer of at least 16 (got 8)');
  });

  it('says clearly when the corpus file does not exist', async () => {
    await expect(runTrain(tiny({ corpus: join(root, 'missing.txt') }), quiet)).rejects.toThrow(
      /corpus file not found or not a file: .*missing\.txt/,
    );
  });

  it('says clearly when the corpus has no messages', async () => {
    const empty = join(root, 'empty.txt');
    await writeFile(empty, '\n\n   \n');
    await expect(runTrain(tiny({ corpus: empty }), quiet)).rejects.toThrow(/has no messages/);
  });

  it('rejects impossible sizes naming the flag', async () => {
    await expect(runTrain(tiny({ layers: 3 }), quiet)).rejects.toThrow('--layers must be 1 or 2 (got 3)');
    await expect(runTrain(tiny({ hidden: 0 }), quiet)).rejects.toThrow('--hidden must be a positive integer');
    await expect(runTrain(tiny({ minutes: -1 }), quiet)).rejects.toThrow('--minutes must be a positive number');
    await expect(runTrain(tiny({ averageFrom: 1 }), quiet)).rejects.toThrow('--average-from must be at least 0');
    for (const dropout of [[0.1], [0.1, 0.95], [Number.NaN, 0.1], [-0.1, 0]])
      await expect(runTrain(tiny({ dropout }), quiet)).rejects.toThrow('--dropout takes two rates from 0 to 0.9');
  });

  it('trains with --dropout: other weights than without it from the same seed, and the card says so', async () => {
    const plain = await runTrain(tiny({ out: join(root, 'plain') }), quiet);
    const again = await runTrain(tiny({ out: join(root, 'plain-again') }), quiet);
    const dropped = await runTrain(tiny({ dropout: [0.3, 0.5], out: join(root, 'dropped') }), quiet);
    expect(again.validation).toEqual(plain.validation);
    expect(dropped.validation.loss).not.toBe(plain.validation.loss);
    expect(dropped.training.dropout).toEqual({ input: 0.3, output: 0.5 });
    expect(plain.training.dropout).toBeUndefined();
  });

  it('averages the weights with --average-from: its validation lines and the card say so', async () => {
    const lines: string[] = [];
    const card = await runTrain(tiny({ epochs: 2, averageFrom: 0.5, out: join(root, 'averaged') }), {
      ...quiet,
      log: (line) => lines.push(line),
    });
    const validations = lines.filter((line) => line.startsWith('validation epoch'));
    expect(validations).toHaveLength(2);
    expect(validations[1]).toMatch(
      /, the (mean of the last \d+ steps' weights \(the last weights: [\d.]+\)|last weights \(the mean of the last \d+ steps': [\d.]+\)) at /,
    );
    expect(card.training).toMatchObject({ averageFrom: 0.5 });
    // The card's weights are the best validation's: the mean only if the last validation was the best and kept it.
    const kept = /\(best\), the mean of the last (\d+) steps/.exec(validations[1]!)?.[1];
    expect(card.training.averagedSteps).toBe(kept === undefined ? undefined : Number(kept));
  });

  it('refuses an --out folder that holds more than a model, keeps its files, and replaces it with --force', async () => {
    const out = join(root, 'photos');
    await mkdir(out);
    await writeFile(join(out, 'holiday.jpg'), 'not a model');
    await expect(runTrain(tiny({ out }), quiet)).rejects.toThrow(
      /--out .*photos is not a model folder \(it holds holiday\.jpg\).*--force/,
    );
    expect(await readdir(out)).toEqual(['holiday.jpg']);

    const file = join(root, 'a-file');
    await writeFile(file, 'text');
    await expect(runTrain(tiny({ out: file, force: true }), quiet)).rejects.toThrow(/is a file, not a model folder/);

    await runTrain(tiny({ out, force: true }), quiet);
    expect((await readdir(out)).sort()).toEqual(['card.json', 'model.json', 'vocab.json', 'weights.bin']);
    // Now a model folder: trained over again without --force.
    await runTrain(tiny({ out }), quiet);
  });

  it("says in a validation line whether the weights kept are the mean of the last steps' or the last", () => {
    const validation = {
      type: 'validation',
      epoch: 2,
      batch: 68,
      loss: 4.07,
      perplexity: 58.51,
      best: true,
      elapsedMs: 35_000,
    } as const;
    expect(formatTrainEvent(validation)).toBe(
      'validation epoch 2 batch 68: loss 4.0700 perplexity 58.51 (best) at 0m35s',
    );
    const average = { steps: 68, meanPerplexity: 58.51, lastPerplexity: 62.05, meanKept: true };
    expect(formatTrainEvent({ ...validation, average })).toBe(
      "validation epoch 2 batch 68: loss 4.0700 perplexity 58.51 (best), the mean of the last 68 steps' weights (the last weights: 62.05) at 0m35s",
    );
    expect(
      formatTrainEvent({
        ...validation,
        perplexity: 60,
        average: { ...average, meanPerplexity: 61.5, lastPerplexity: 60, meanKept: false },
      }),
    ).toBe(
      "validation epoch 2 batch 68: loss 4.0700 perplexity 60.00 (best), the last weights (the mean of the last 68 steps': 61.50) at 0m35s",
    );
  });

  it('records the command line shell-quoted', () => {
    expect(commandLine(['train', '--corpus', 'my corpus.txt', '--out', "it's"])).toBe(
      `lstm-bot train --corpus 'my corpus.txt' --out 'it'\\''s'`,
    );
  });
});

describe('progress of the model tools', () => {
  it('reports reading, training and validating for train, reading and evaluating for eval, and tokenizing', async () => {
    const seen = new Map<string, { done: number; total?: number }>();
    const progress = { update: (u: { label: string; done: number; total?: number }) => seen.set(u.label, u) };
    const out = join(root, 'progress-model');
    await runTrain(tiny({ out }), { ...quiet, progress });
    expect(seen.get('reading tiny-dialogue.txt')).toMatchObject({
      done: expect.any(Number),
      total: expect.any(Number),
    });
    const reading = seen.get('reading tiny-dialogue.txt')!;
    expect(reading.done).toBe(reading.total);
    expect(seen.get('training')?.done).toBe(seen.get('training')?.total);
    expect(seen.get('validating')?.done).toBe(seen.get('validating')?.total);

    seen.clear();
    await runEvaluate({ model: out, corpus: FIXTURE }, progress);
    expect([...seen.keys()]).toEqual(['reading tiny-dialogue.txt', 'evaluating']);
    expect(seen.get('evaluating')?.done).toBe(seen.get('evaluating')?.total);

    seen.clear();
    await runTokenize({ model: out, corpus: FIXTURE }, () => undefined, progress);
    expect(seen.get('tokenizing tiny-dialogue.txt')?.done).toBe(seen.get('tokenizing tiny-dialogue.txt')?.total);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/model/lstm/mulberry32.js';
import { createSamplingScratch, sampleNextToken } from '../../../../src/model/sampling/sample-next-token.js';
import type { TokenSampling } from '../../../../src/model/sampling/sample-next-token.js';

const softmax = (logits: number[], temperature = 1): Float32Array => {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp((l - max) / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e.map((v) => v / sum));
};

const sampling = (over: Partial<TokenSampling> = {}): TokenSampling => ({ greedy: false, topK: 0, topP: 1, ...over });

function draw(probs: Float32Array, over: Partial<TokenSampling>, seed: number, n: number, banned: number[] = []) {
  const random = mulberry32(seed);
  const scratch = createSamplingScratch(probs.length);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const token = sampleNextToken(Float32Array.from(probs), 0, probs.length, sampling(over), banned, random, scratch);
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

describe('sampleNextToken', () => {
  const logits = Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 4);
  const probs = softmax(logits);
  const argmax = logits.indexOf(Math.max(...logits));

  it('greedy picks the most probable token without drawing a random number', () => {
    let draws = 0;
    const random = () => (draws++, 0.5);
    const token = sampleNextToken(
      Float32Array.from(probs),
      0,
      200,
      sampling({ greedy: true }),
      [],
      random,
      createSamplingScratch(200),
    );
    expect(token).toBe(argmax);
    expect(draws).toBe(0);
  });

  it('reads the row at its offset in a batch', () => {
    const rows = new Float32Array(600);
    rows.set(probs, 400);
    const token = sampleNextToken(
      rows,
      400,
      200,
      sampling({ greedy: true }),
      [],
      Math.random,
      createSamplingScratch(200),
    );
    expect(token).toBe(argmax);
  });

  it('top-k = 1 and a tiny top-p both equal greedy', () => {
    expect([...draw(probs, { topK: 1 }, 7, 200).keys()]).toEqual([argmax]);
    expect([...draw(probs, { topP: 1e-9 }, 7, 200).keys()]).toEqual([argmax]);
  });

  it('top-k keeps only the k most probable tokens', () => {
    const top5 = [...logits.keys()].sort((a, b) => logits[b]! - logits[a]!).slice(0, 5);
    const counts = draw(probs, { topK: 5 }, 3, 5000);
    expect(new Set(counts.keys())).toEqual(new Set(top5));
  });

  it('top-p keeps the smallest set of most probable tokens reaching p', () => {
    const order = [...logits.keys()].sort((a, b) => probs[b]! - probs[a]!);
    let mass = 0;
    const nucleus: number[] = [];
    for (const token of order) {
      if (mass >= 0.5) break;
      nucleus.push(token);
      mass += probs[token]!;
    }
    const counts = draw(probs, { topP: 0.5 }, 4, 5000);
    expect(new Set(counts.keys())).toEqual(new Set(nucleus));
  });

  it('samples in proportion to the probabilities', () => {
    const p = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const counts = draw(p, {}, 11, 40_000);
    for (let token = 0; token < 4; token++) expect((counts.get(token) ?? 0) / 40_000).toBeCloseTo(p[token]!, 1);
  });

  it('samples in proportion across a long row, where the draw skips whole blocks of tokens', () => {
    // 1,000 tokens in 10 bands of rising probability, with zeros between the bands.
    const p = new Float32Array(1000);
    for (let i = 0; i < 1000; i++) if (i % 100 < 90) p[i] = Math.floor(i / 100) + 1;
    const total = p.reduce((a, b) => a + b, 0);
    for (let i = 0; i < 1000; i++) p[i] = p[i]! / total;
    const counts = draw(p, {}, 17, 50_000);
    const bands = new Array<number>(10).fill(0);
    for (const [token, n] of counts) {
      expect(p[token]).toBeGreaterThan(0);
      const band = Math.floor(token / 100);
      bands[band] = bands[band]! + n;
    }
    bands.forEach((n, band) => expect(n / 50_000).toBeCloseTo(((band + 1) * 90) / total, 2));
  });

  it('never returns a banned token nor a token of probability 0', () => {
    const p = Float32Array.from([0, 0, 0.5, 0.3, 0.2]);
    const counts = draw(p, {}, 5, 2000, [2]);
    expect(new Set(counts.keys())).toEqual(new Set([3, 4]));
    expect(draw(p, { greedy: true }, 5, 10, [2]).keys().next().value).toBe(3);
  });

  it('still samples what is left when a banned token held nearly all the probability', () => {
    const p = Float32Array.from([0, 0, 1 - 1e-9, 1e-9, 2e-9]);
    const counts = draw(p, {}, 9, 3000, [2]);
    expect(new Set(counts.keys())).toEqual(new Set([3, 4]));
    expect(counts.get(4)! / 3000).toBeCloseTo(2 / 3, 1);
  });

  it('returns -1 when nothing allowed has probability left', () => {
    const p = Float32Array.from([0, 0, 1, 0]);
    expect([...draw(p, {}, 1, 5, [2]).keys()]).toEqual([-1]);
    expect([...draw(p, { greedy: true }, 1, 5, [2]).keys()]).toEqual([-1]);
    expect([...draw(p, { topK: 2 }, 1, 5, [2]).keys()]).toEqual([-1]);
  });

  it('the same seed gives the same draws', () => {
    const a = [...draw(probs, {}, 42, 1).keys()];
    const run = (seed: number) => {
      const random = mulberry32(seed);
      const scratch = createSamplingScratch(200);
      return Array.from({ length: 50 }, () =>
        sampleNextToken(Float32Array.from(probs), 0, 200, sampling(), [], random, scratch),
      );
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    expect(a).toHaveLength(1);
  });
});

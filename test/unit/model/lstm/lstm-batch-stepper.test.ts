import { afterAll, describe, expect, it } from 'vitest';
import { randomLstmParams } from '../../../../src/bench/random-lstm-params.js';
import { defaultOutputLayout, LstmBatchStepper } from '../../../../src/model/lstm/lstm-batch-stepper.js';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, type LstmParams } from '../../../../src/model/lstm/lstm-params.js';
import { tf } from '../../../../src/model/lstm/tf.js';
import { tiedOutputKernel } from '../../../../src/model/lstm/tied-output.js';
import { samplingDeadUnits } from '../../../../src/model/lstm/dead-units.js';
import { evaluateTargets } from '../../../../src/model/evaluation/target-probabilities.js';

const params = randomLstmParams({ vocabSize: 3000, embeddingSize: 32, hiddenSize: 64, layers: 2 }, 9, 8);
const stepper = new LstmBatchStepper(params, [0, 1]);
afterAll(() => {
  stepper.dispose();
  disposeParams(params);
});

const V = 3000;
const prompts = Array.from({ length: 16 }, (_, i) => [
  2,
  ...Array.from({ length: (i * 3) % 7 }, (_, j) => 10 + i * 11 + j),
]);
const temperatures = prompts.map((_, i) => [0, 0.5, 1, 2][i % 4]!);

describe('LstmBatchStepper', () => {
  it.each([
    ['float32', 'rows'],
    ['mixed', 'rows'],
    ['mixed', 'columns'],
  ] as const)(
    'gives each row of a batch the probabilities it gets alone, up to float32 rounding (%s products, %s)',
    (precision, layout) => {
      rowsAgreeAlone(new LstmBatchStepper(params, [0, 1], { precision, layout }));
    },
  );

  it('gives the same distributions in both layouts of the mixed-precision product, and leaks nothing', () => {
    const [rows, columns] = (['rows', 'columns'] as const).map((layout) =>
      twoSteps(new LstmBatchStepper(params, [0, 1], { precision: 'mixed', layout })),
    );
    expect([rows!.leaked, columns!.leaked]).toEqual([-1, -1]); // -1: the stepper's own kernel, disposed
    const largest = largestDistance(rows!.probs, columns!.probs);
    expect(largest).toBeLessThan(1e-3);
  });

  it('multiplies in columns by default only where oneDNN may use AMX', () => {
    const amx = new Set(['avx512_bf16', 'amx_bf16']);
    expect(defaultOutputLayout(amx, {})).toBe('columns');
    expect(defaultOutputLayout(amx, { ONEDNN_MAX_CPU_ISA: 'AVX512_CORE_AMX' })).toBe('columns');
    expect(defaultOutputLayout(amx, { ONEDNN_MAX_CPU_ISA: 'AVX512_CORE_BF16' })).toBe('rows');
    expect(defaultOutputLayout(amx, { DNNL_MAX_CPU_ISA: 'AVX512_CORE_BF16' })).toBe('rows');
    expect(defaultOutputLayout(amx, { TF_ENABLE_ONEDNN_OPTS: '0' })).toBe('rows');
    expect(defaultOutputLayout(new Set(['avx512_bf16']), {})).toBe('rows');
    expect(defaultOutputLayout(new Set(), {})).toBe('rows');
  });

  it('samples from the float32 distribution to bfloat16 rounding in mixed precision (total variation < 1%)', () => {
    const exact = new LstmBatchStepper(params, [0, 1], { precision: 'float32' });
    const mixed = new LstmBatchStepper(params, [0, 1], { precision: 'mixed' });
    const [a, b] = [exact, mixed].map((s) => {
      const started = s.start(prompts, temperatures);
      s.release(started.batch);
      s.dispose();
      return started.probs;
    });
    const largest = largestDistance(a!, b!);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(0.01);
  });

  it.each(['float32', 'mixed'] as const)(
    'samples a tied model in its factored form as its materialised kernel, and leaks nothing (%s products)',
    (precision) => {
      const tied = initParams({ vocabSize: V, embeddingSize: 32, hiddenSize: 64, layers: 2, tiedEmbedding: true }, 4);
      const { outputProjection, ...rest } = tied;
      const materialised: LstmParams = {
        ...rest,
        config: { ...tied.config, tiedEmbedding: false },
        outputKernel: tiedOutputKernel(outputProjection!, tied.embedding),
      };
      const [factored, plain] = [tied, materialised].map((model) =>
        twoSteps(new LstmBatchStepper(model, [0, 1], { precision })),
      );
      expect([factored!.leaked, plain!.leaked]).toEqual([-1, -1]);
      const largest = largestDistance(factored!.probs, plain!.probs);
      expect(largest).toBeLessThan(precision === 'float32' ? 1e-5 : 0.01);
      disposeParams(tied);
      materialised.outputKernel!.dispose();
    },
  );

  it.each([
    ['untied', false],
    ['tied', true],
  ] as const)(
    'samples the %s model with dead hidden units as without them, their states exactly 0, and leaks nothing',
    (_, tiedEmbedding) => {
      const model = tiedEmbedding
        ? initParams({ vocabSize: V, embeddingSize: 32, hiddenSize: 64, layers: 2, tiedEmbedding }, 5)
        : params;
      const plain = twoSteps(new LstmBatchStepper(model, [0, 1], { precision: 'float32', deadUnits: 0 }));
      const padded = new LstmBatchStepper(model, [0, 1], { precision: 'float32', deadUnits: 4 });
      const started = padded.start(prompts, temperatures);
      padded.step(
        started.batch,
        prompts.map((_, i) => 100 + i),
      );
      for (const state of [...started.batch.c, ...started.batch.h]) {
        expect(state.shape).toEqual([prompts.length, 68]);
        const dead = tf.tidy(() => tf.slice(state, [0, 64], [-1, 4]).dataSync());
        expect([...dead].every((value) => value === 0)).toBe(true);
      }
      padded.release(started.batch);
      const withDead = twoSteps(padded);
      // -1: the stepper's kernel; -6: also its two padded layers (kernel and bias each) and output weights.
      expect([plain.leaked, withDead.leaked]).toEqual([-1, -6]);
      expect(largestDistance(plain.probs, withDead.probs)).toBeLessThan(1e-5);
      if (tiedEmbedding) disposeParams(model);
    },
  );

  it("keeps the top layer's state that predicted each prompt id: the evaluation's hidden states of the same stream", () => {
    const s = new LstmBatchStepper(params, [0, 1], { precision: 'float32' });
    // Rows of different lengths: the shorter is left-padded and its keys still start at its own first id.
    const long = [2, 40, 41, 42, 43, 44, 45, 46];
    const short = [2, 50, 51];
    const started = s.start([long, short], [1, 1], { hidden: true });
    const width = s.hiddenWidth;
    expect(width).toBe(64);
    const last = s.topHidden(started.batch);
    s.release(started.batch);
    [long, short].forEach((prompt, row) => {
      // The prompt after its <eos>: an evaluation's stripe starts from the state after <eos>.
      const stream = Int32Array.from([...prompt.slice(1), 3]);
      // One stripe: position i's state is what read <eos> and stream[0 .. i) (position 0 has none: zeros).
      const { hidden } = evaluateTargets(params, stream, { batchSize: 1, seqLength: stream.length - 1, hidden: true });
      const keys = started.hidden![row]!;
      expect(keys.length).toBe(prompt.length * width);
      // Stepper key i + 1 (the state after <eos> and stream[0 .. i)) is the evaluation's state at i.
      for (let i = 1; i < prompt.length - 1; i++) {
        for (let k = 0; k < width; k++)
          expect(keys[(i + 1) * width + k]).toBeCloseTo(hidden!.values[i * width + k]!, 5);
      }
      // After the prompt, the state that predicts the next id (the evaluation's at the prompt's last position).
      for (let k = 0; k < width; k++)
        expect(last[row * width + k]).toBeCloseTo(hidden!.values[(prompt.length - 1) * width + k]!, 5);
    });
    expect(s.start([[2]], [1]).hidden).toBeUndefined();
    s.dispose();
  });

  it('primes whole sequences in one fused call per layer to the states of step-by-step priming', () => {
    const stepwise = new LstmBatchStepper(params, [0, 1], { primeBySequence: false, precision: 'float32' });
    const fused = new LstmBatchStepper(params, [0, 1], { primeBySequence: true, precision: 'float32' });
    // Rows of different lengths (1 to 40 ids), as a batch of requests with and without context.
    const long = prompts.map((ids, i) => [...ids, ...Array.from({ length: (i * 13) % 34 }, (_, j) => 100 + i + j)]);
    try {
      const before = tf.memory().numTensors;
      const a = stepwise.start(long, temperatures, { hidden: true });
      const b = fused.start(long, temperatures, { hidden: true });
      expect(maxDifference(a.probs, b.probs)).toBeLessThan(1e-5);
      a.hidden!.forEach((keys, row) => expect(maxDifference(keys, b.hidden![row]!)).toBeLessThan(1e-5));
      // The states go on alike: one more step from each.
      const next = long.map((ids) => ids[0]!);
      expect(maxDifference(stepwise.step(a.batch, next), fused.step(b.batch, next))).toBeLessThan(1e-5);
      stepwise.release(a.batch);
      fused.release(b.batch);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      stepwise.dispose();
      fused.dispose();
    }
  });

  it('adds dead units where the gate kernel has rows of whole KBs (hidden a multiple of 256)', () => {
    expect([64, 128, 255, 256, 384, 512, 1024].map(samplingDeadUnits)).toEqual([0, 0, 0, 4, 0, 4, 4]);
  });

  /**
   * The probabilities of `prompts` and of one step after them, and the tensors left once the batch is
   * released and the stepper disposed (after a first batch, which makes what the kernels keep for good:
   * the fused cell's zero peepholes, the transpose's axes).
   */
  function twoSteps(s: LstmBatchStepper): { probs: number[]; leaked: number } {
    s.release(s.start([[2]], [1]).batch);
    const before = tf.memory().numTensors;
    const started = s.start(prompts, temperatures);
    const next = s.step(
      started.batch,
      prompts.map((_, i) => 100 + i),
    );
    s.release(started.batch);
    s.dispose();
    return { probs: [...started.probs, ...next], leaked: tf.memory().numTensors - before };
  }

  /** The largest total variation distance between rows of two [rows, V] distributions. */
  function largestDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let largest = 0;
    for (let row = 0; row < a.length / V; row++) {
      let distance = 0;
      for (let v = 0; v < V; v++) distance += Math.abs(a[row * V + v]! - b[row * V + v]!) / 2;
      largest = Math.max(largest, distance);
    }
    return largest;
  }

  function rowsAgreeAlone(stepper: LstmBatchStepper): void {
    // Matmul kernels sum in a different order for 1 row than for 16, so the rows agree to about 1e-7,
    // not bit for bit; a seeded draw can therefore (rarely) differ between batched and single runs.
    const together = stepper.start(prompts, temperatures);
    const next = stepper.step(
      together.batch,
      prompts.map((_, i) => 100 + i),
    );
    stepper.release(together.batch);
    prompts.forEach((prompt, i) => {
      const alone = stepper.start([prompt], [temperatures[i]!]);
      const aloneNext = stepper.step(alone.batch, [100 + i]);
      stepper.release(alone.batch);
      let diff = 0;
      for (let v = 0; v < V; v++) {
        diff = Math.max(diff, Math.abs(alone.probs[v]! - together.probs[i * V + v]!));
        diff = Math.max(diff, Math.abs(aloneNext[v]! - next[i * V + v]!));
      }
      expect(diff).toBeLessThan(1e-5);
    });
    stepper.dispose();
  }

  it('rows are softmax distributions with <pad> and <unk> at exactly 0', () => {
    const { batch, probs } = stepper.start(prompts.slice(0, 3), [0.3, 1, 2]);
    stepper.release(batch);
    for (let row = 0; row < 3; row++) {
      const slice = probs.subarray(row * V, (row + 1) * V);
      expect(slice[0]).toBe(0);
      expect(slice[1]).toBe(0);
      expect(slice.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it.each(['rows', 'columns'] as const)(
    'keeps the remaining rows intact when streams leave the batch (%s)',
    (layout) => {
      const stepper = new LstmBatchStepper(params, [0, 1], { precision: 'mixed', layout });
      const full = stepper.start(prompts.slice(0, 4), temperatures.slice(0, 4));
      stepper.keepRows(full.batch, [1, 3]);
      const kept = stepper.step(full.batch, [7, 8]);
      stepper.release(full.batch);
      const pair = stepper.start([prompts[1]!, prompts[3]!], [temperatures[1]!, temperatures[3]!]);
      const expected = stepper.step(pair.batch, [7, 8]);
      stepper.release(pair.batch);
      for (let v = 0; v < 2 * V; v++) expect(Math.abs(kept[v]! - expected[v]!)).toBeLessThan(1e-5);
      stepper.dispose();
    },
  );

  it('refuses ids outside the vocabulary and empty prompts without leaking tensors', () => {
    const before = tf.memory().numTensors;
    expect(() => stepper.start([[]], [1])).toThrow(RangeError);
    const { batch } = stepper.start([[2]], [1]);
    expect(() => stepper.step(batch, [V])).toThrow(/outside the vocabulary/);
    stepper.release(batch);
    expect(tf.memory().numTensors).toBe(before);
  });
});

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

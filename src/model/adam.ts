/**
 * Adam on plain tensors, with global-norm gradient clipping folded into the update: the parameters
 * are replaced by new tensors (the old ones are disposed), moments live here.
 */
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { LstmGrads } from './lstm-gradients.js';
import type { LstmParams } from './lstm-params.js';
import { tf } from './tf.js';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip the gradients so their global L2 norm is at most this (0: no clipping). */
  clipNorm: number;
}

export const adamDefaults = {
  learningRate: 0.002,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  clipNorm: 5,
} as const satisfies AdamOptions;

type Slot = 'embedding' | 'outputKernel' | 'outputBias' | `kernel${number}` | `bias${number}`;

function slots(p: LstmParams | LstmGrads): [Slot, Tensor][] {
  return [
    ['embedding', p.embedding],
    ...p.layers.flatMap((layer, l): [Slot, Tensor][] => [
      [`kernel${l}`, layer.kernel],
      [`bias${l}`, layer.bias],
    ]),
    ['outputKernel', p.outputKernel],
    ['outputBias', p.outputBias],
  ];
}

function assign(p: LstmParams, slot: Slot, value: Tensor): void {
  const t = value as never;
  if (slot === 'embedding') p.embedding = t;
  else if (slot === 'outputKernel') p.outputKernel = t;
  else if (slot === 'outputBias') p.outputBias = t;
  else if (slot.startsWith('kernel')) p.layers[Number(slot.slice(6))]!.kernel = t;
  else p.layers[Number(slot.slice(4))]!.bias = t;
}

export class Adam {
  readonly options: AdamOptions;
  private step = 0;
  private readonly m = new Map<Slot, Tensor>();
  private readonly v = new Map<Slot, Tensor>();

  constructor(options: Partial<AdamOptions> = {}) {
    this.options = { ...adamDefaults, ...options };
  }

  /** Applies one update to `params` in place; returns the gradients' global norm before clipping. */
  apply(params: LstmParams, grads: LstmGrads, learningRate = this.options.learningRate): number {
    const { beta1, beta2, epsilon, clipNorm } = this.options;
    this.step += 1;
    const gradSlots = slots(grads);
    const norm = Math.sqrt(tf.tidy(() => tf.addN(gradSlots.map(([, g]) => tf.sum(tf.square(g)))).dataSync()[0] ?? 0));
    const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    const s = (value: number): Scalar => tf.scalar(value);
    const paramSlots = new Map(slots(params));
    for (const [slot, g] of gradSlots) {
      const param = paramSlots.get(slot)!;
      const [m, v, next] = tf.tidy(() => {
        const mOld = this.m.get(slot);
        const vOld = this.v.get(slot);
        const gm = tf.mul(g, s((1 - beta1) * scale));
        const m = mOld ? tf.add(tf.mul(mOld, s(beta1)), gm) : gm;
        const gv = tf.mul(tf.square(g), s((1 - beta2) * scale * scale));
        const v = vOld ? tf.add(tf.mul(vOld, s(beta2)), gv) : gv;
        const next = tf.sub(param, tf.mul(tf.div(m, tf.add(tf.sqrt(v), s(epsilon))), s(stepSize)));
        return [m, v, next];
      });
      this.m.get(slot)?.dispose();
      this.v.get(slot)?.dispose();
      this.m.set(slot, m);
      this.v.set(slot, v);
      param.dispose();
      assign(params, slot, next);
    }
    return norm;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

import { describe, expect, it } from 'vitest';
import { initParams } from '../../../../src/model/lstm/init-params.js';
import { disposeParams, paramTensors } from '../../../../src/model/lstm/lstm-params.js';
import { tf } from '../../../../src/model/lstm/tf.js';

const config = { vocabSize: 50, embeddingSize: 12, hiddenSize: 10, layers: 2 };

describe('initParams', () => {
  it('gives the same weights for the same seed and different ones for another seed', () => {
    const a = initParams(config, 42);
    const b = initParams(config, 42);
    const c = initParams(config, 43);
    const ta = paramTensors(a);
    const tb = paramTensors(b);
    for (let k = 0; k < ta.length; k++) expect(tb[k]!.tensor.dataSync()).toEqual(ta[k]!.tensor.dataSync());
    expect(c.embedding.dataSync()).not.toEqual(a.embedding.dataSync());
    [a, b, c].forEach(disposeParams);
  });

  it('draws the embedding from N(0, 1), makes recurrent weights orthogonal and the forget bias 1', () => {
    const p = initParams({ ...config, vocabSize: 4000 }, 1);
    const e = Array.from(p.embedding.dataSync());
    const mean = e.reduce((s, v) => s + v, 0) / e.length;
    const variance = e.reduce((s, v) => s + (v - mean) ** 2, 0) / e.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeCloseTo(1, 1);

    const H = config.hiddenSize;
    const layer = p.layers[1]!;
    expect(layer.kernel.shape).toEqual([2 * H, 4 * H]);
    const gram = tf.tidy(() => {
      const recurrent = tf.slice(layer.kernel, [H, 2 * H], [H, H]); // forget-gate block
      return tf.matMul(recurrent, recurrent, false, true).arraySync() as number[][];
    });
    gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 4)));
    const bias = Array.from(layer.bias.dataSync());
    expect(bias.slice(2 * H, 3 * H)).toEqual(new Array(H).fill(1));
    expect([...bias.slice(0, 2 * H), ...bias.slice(3 * H)]).toEqual(new Array(3 * H).fill(0));
    disposeParams(p);
  });
});

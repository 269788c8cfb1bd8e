import { tf } from './dist/model/lstm/tf.js';
import { initParams } from './dist/model/lstm/init-params.js';
import { zeroLstmState, disposeLstmState } from './dist/model/lstm/lstm-state.js';
import { lstmGradients } from './dist/model/lstm/lstm-gradients.js';
import { Adam } from './dist/model/training/adam.js';
const config = { vocabSize: 8000, embeddingSize: 128, hiddenSize: 256, layers: 1 };
const params = initParams(config, 1);
const B = 64, T = 32;
const inputs = new Int32Array(B*T).map(() => Math.floor(Math.random()*8000));
const targets = new Int32Array(B*T).map(() => Math.floor(Math.random()*8000));
const batch = { inputs, targets, batchSize: B, seqLength: T };
const adam = new Adam({ clipNorm: 5 });
for (const prec of ['float32','mixed','float32','mixed']) {
  let state = zeroLstmState(params.config, B);
  let tg=0, ta=0; const n=20;
  for (let i=0;i<n+3;i++) {
    const t0=performance.now();
    const r = lstmGradients(params, batch, state, {}, prec);
    r.loss.dataSync();
    const t1=performance.now();
    adam.apply(params, r.grads, 0.001);
    const t2=performance.now();
    if (i>=3) { tg+=t1-t0; ta+=t2-t1; }
    disposeLstmState(state); state = r.state; r.loss.dispose();
    tf.dispose([r.grads.embedding, r.grads.outputKernel, r.grads.outputBias, ...r.grads.layers.flatMap(l=>[l.kernel,l.bias])]);
  }
  console.log(prec, 'grads ms', (tg/n).toFixed(1), 'adam ms', (ta/n).toFixed(1), 'tok/s', Math.round(B*T/((tg+ta)/n/1000)));
}

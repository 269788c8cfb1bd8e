#!/usr/bin/env python3
"""Reference measurement: Keras 3 / TensorFlow (CPU) word-level LSTM, set up like our TypeScript trainer.

Reads the id stream written by export-ids.mjs (Int32 little-endian), holds out the LAST
--val-fraction of it for validation, cuts the rest into --batch parallel stripes walked --seq tokens at a
time (row r of batch k continues row r of batch k-1, LSTM state carried = stateful LSTM, reset at each
epoch start), trains Embedding -> LSTM -> Dense (logits) with Adam for --seconds of wall-clock, then
reports steady-state training tokens/s, validation perplexity on the held-out tail (walked the same way,
state carried) and sampling speed at batch 1 and 16.
"""
import argparse
import json
import math
import os
import sys
import time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--ids", required=True, help="OUT.ids.bin from export-ids.mjs")
p.add_argument("--vocab", type=int, required=True, help="vocabulary size (vocabSize in OUT.json)")
p.add_argument("--embedding", type=int, default=128)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--seq", type=int, default=32)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--seconds", type=float, default=120.0, help="training wall-clock budget")
p.add_argument("--val-fraction", type=float, default=0.02)
p.add_argument("--lr", type=float, default=0.002)
p.add_argument("--lr-schedule", choices=["cosine", "constant"], default="cosine",
               help="cosine (default, like our trainModel: lr -> 0.1*lr over the time budget) or constant")
p.add_argument("--final-lr-factor", type=float, default=0.1)
p.add_argument("--clip", choices=["global", "per-tensor"], default="global",
               help="global: Adam(global_clipnorm=5) = our trainer's global-L2-norm clipping (default); "
                    "per-tensor: Adam(clipnorm=5), Keras' per-variable clipping")
p.add_argument("--clip-norm", type=float, default=5.0)
p.add_argument("--mode", choices=["train_on_batch", "fit"], default="train_on_batch",
               help="train_on_batch: a Python loop of model.train_on_batch; fit: tf.data pipeline + model.fit")
p.add_argument("--jit", choices=["auto", "on", "off"], default="auto",
               help="XLA for the training step (Keras 'auto' turns it ON for this model on CPU)")
p.add_argument("--policy", choices=["float32", "mixed_bfloat16", "dense_bfloat16"], default="float32",
               help="float32 (default); mixed_bfloat16: Keras's mixed-precision policy for every layer (bfloat16 "
                    "compute, float32 variables); dense_bfloat16: that policy for the output Dense layer only, as "
                    "lstm-bot's --precision mixed")
p.add_argument("--threads", type=int, default=None, help="intra- and inter-op threads (default: TF's default)")
p.add_argument("--inter-threads", type=int, default=None, help="inter-op threads if different from --threads")
p.add_argument("--warmup-batches", type=int, default=10, help="batches excluded from the steady-state rate")
p.add_argument("--sample-seconds", type=float, default=3.0)
p.add_argument("--temperature", type=float, default=0.8)
p.add_argument("--sample-mode", choices=["tf_function", "stateful_predict"], default="tf_function",
               help="tf_function: a tf.function step with explicit (h, c) and an in-graph categorical draw; "
                    "stateful_predict: a stateful Keras copy called with predict_on_batch + a NumPy draw")
p.add_argument("--sample-jit", choices=["on", "off"], default="off",
               help="XLA-compile the tf_function sampling step")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--json", action="store_true", help="also print one JSON line")
args = p.parse_args()

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

if args.threads is not None:
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(
        args.inter_threads if args.inter_threads is not None else args.threads)
elif args.inter_threads is not None:
    tf.config.threading.set_inter_op_parallelism_threads(args.inter_threads)

import keras  # noqa: E402

keras.config.set_floatx("float32")
keras.config.set_dtype_policy("mixed_bfloat16" if args.policy == "mixed_bfloat16" else "float32")
DENSE_POLICY = "mixed_bfloat16" if args.policy == "dense_bfloat16" else None
keras.utils.set_random_seed(args.seed)

V, E, H, T, B = args.vocab, args.embedding, args.hidden, args.seq, args.batch
log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731


# ---------------------------------------------------------------- data: identical to StripeBatches.fit
class Stripes:
    """Port of stripe-batches.ts (StripeBatches.fit): rows x stripeLength, walked seqLength at a time."""

    def __init__(self, stream, batch, seq):
        rows = max(1, min(batch, len(stream) // (seq + 1)))
        length = max(1, min(seq, len(stream) // rows - 1))
        self.rows, self.seq = rows, length
        self.stripe_length = len(stream) // rows
        self.count = max(0, (self.stripe_length - 1) // length)
        self.grid = np.ascontiguousarray(stream[: rows * self.stripe_length].reshape(rows, self.stripe_length))

    def batch(self, k):
        s = k * self.seq
        return self.grid[:, s: s + self.seq], self.grid[:, s + 1: s + self.seq + 1]

    @property
    def tokens(self):
        return self.count * self.rows * self.seq


stream = np.fromfile(args.ids, dtype="<i4").astype(np.int32)
if stream.size == 0:
    sys.exit(f"no ids in {args.ids}")
if stream.max() >= V or stream.min() < 0:
    sys.exit(f"ids outside [0, {V}) in {args.ids} (max {stream.max()}): wrong --vocab?")
split_at = math.floor(len(stream) * (1 - args.val_fraction))
train = Stripes(stream[:split_at], B, T)
val_stream = stream[split_at:]
val = Stripes(val_stream, B, T)
if train.count == 0 or len(val_stream) < 2:
    sys.exit(f"corpus too small ({len(stream)} tokens)")
if (train.rows, train.seq) != (B, T):
    log(f"note: the training stream is short, stripes are {train.rows} x {train.seq}")
TB, TT = train.rows, train.seq

# ---------------------------------------------------------------- model
emb_init = keras.initializers.RandomNormal(mean=0.0, stddev=1.0, seed=args.seed)


def build(batch_shape, stateful):
    ids = keras.Input(batch_shape=batch_shape, dtype="int32", name="ids")
    x = keras.layers.Embedding(V, E, embeddings_initializer=emb_init, name="embedding")(ids)
    x = keras.layers.LSTM(H, return_sequences=True, stateful=stateful, name="lstm")(x)
    logits = keras.layers.Dense(V, name="logits", dtype=DENSE_POLICY)(x)
    return keras.Model(ids, logits)


model = build((TB, TT), stateful=True)
lstm_layer = model.get_layer("lstm")
clip = {"global_clipnorm": args.clip_norm} if args.clip == "global" else {"clipnorm": args.clip_norm}
optimizer = keras.optimizers.Adam(learning_rate=args.lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **clip)
jit = {"auto": "auto", "on": True, "off": False}[args.jit]
model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              jit_compile=jit)
log(f"TF {tf.__version__}, Keras {keras.__version__}, backend {keras.backend.backend()}, "
    f"jit_compile={model.jit_compile}, mode={args.mode}")


def lr_at(progress):
    if args.lr_schedule == "constant":
        return args.lr
    f = args.final_lr_factor
    return args.lr * (f + (1 - f) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


# ---------------------------------------------------------------- training
batch_end_times = []  # perf_counter at the end of each training batch
losses = []
budget = args.seconds
done = 0
epochs_started = 0

if args.mode == "train_on_batch":
    started = time.perf_counter()
    stop = False
    while not stop:
        lstm_layer.reset_state()  # zero state at each epoch start (as our trainer)
        epochs_started += 1
        for k in range(train.count):
            optimizer.learning_rate = lr_at((time.perf_counter() - started) / budget)
            x, y = train.batch(k)
            loss = model.train_on_batch(x, y)
            now = time.perf_counter()
            batch_end_times.append(now)
            losses.append(float(loss))
            done += 1
            if not math.isfinite(losses[-1]):
                sys.exit(f"training loss became {losses[-1]}")
            if now - started >= budget:
                stop = True
                break
    train_seconds = time.perf_counter() - started
else:
    grid = tf.constant(train.grid)

    def make(k):
        s = k * TT
        return grid[:, s: s + TT], grid[:, s + 1: s + TT + 1]

    ds = tf.data.Dataset.range(train.count).map(make, num_parallel_calls=1, deterministic=True)
    ds = ds.prefetch(2)

    class Driver(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            global epochs_started
            lstm_layer.reset_state()
            epochs_started += 1

        def on_train_batch_begin(self, batch, logs=None):
            optimizer.learning_rate = lr_at((time.perf_counter() - self.started) / budget)

        def on_train_batch_end(self, batch, logs=None):
            global done
            now = time.perf_counter()
            batch_end_times.append(now)
            if logs and "loss" in logs:
                losses.append(float(logs["loss"]))  # Keras' running mean over the epoch
            done += 1
            if now - self.started >= budget:
                self.model.stop_training = True

    driver = Driver()
    driver.started = time.perf_counter()
    started = driver.started
    model.fit(ds, epochs=1_000_000, steps_per_epoch=train.count, shuffle=False, verbose=0, callbacks=[driver])
    train_seconds = time.perf_counter() - started

tokens_seen = done * TB * TT
w = args.warmup_batches
if len(batch_end_times) > w + 1:
    steady_batches = len(batch_end_times) - 1 - w
    steady_time = batch_end_times[-1] - batch_end_times[w]
    train_tps = steady_batches * TB * TT / steady_time
    steady_note = f"batches {w + 2}..{len(batch_end_times)}"
else:
    train_tps = tokens_seen / train_seconds
    steady_note = f"ONLY {len(batch_end_times)} batches: overall rate, tracing included"
first_batch_s = batch_end_times[0] - started

# ---------------------------------------------------------------- explicit-state copy (validation, sampling)
# float32 whatever --policy trained with, as lstm-bot validates and samples.
keras.config.set_dtype_policy("float32")
ids_in = keras.Input(shape=(None,), dtype="int32")
h_in = keras.Input(shape=(H,))
c_in = keras.Input(shape=(H,))
x = keras.layers.Embedding(V, E)(ids_in)
seq_out, h_out, c_out = keras.layers.LSTM(H, return_sequences=True, return_state=True)(x, initial_state=[h_in, c_in])
logits_out = keras.layers.Dense(V)(seq_out)
state_model = keras.Model([ids_in, h_in, c_in], [logits_out, h_out, c_out])
state_model.set_weights(model.get_weights())


@tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.int32),
                              tf.TensorSpec([None, H], tf.float32), tf.TensorSpec([None, H], tf.float32)])
def val_step(x, y, h, c):
    logits, h, c = state_model([x, h, c], training=False)
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    return tf.reduce_sum(ce), h, c


val_started = time.perf_counter()
h = tf.zeros([val.rows, H])
c = tf.zeros([val.rows, H])
loss_sum = 0.0
for k in range(val.count):
    vx, vy = val.batch(k)
    s, h, c = val_step(vx, vy, h, c)
    loss_sum += float(s)
val_loss = loss_sum / val.tokens
val_ppl = math.exp(val_loss)
val_seconds = time.perf_counter() - val_started


# ---------------------------------------------------------------- sampling
inv_temp = 1.0 / args.temperature


@tf.function(input_signature=[tf.TensorSpec([None, 1], tf.int32), tf.TensorSpec([None, H], tf.float32),
                              tf.TensorSpec([None, H], tf.float32), tf.TensorSpec([], tf.int32)],
             jit_compile=args.sample_jit == "on")
def sample_step(tok, h, c, seed):
    logits, h, c = state_model([tok, h, c], training=False)
    # softmax(logits / T) + a multinomial draw == categorical over logits / T
    nxt = tf.random.stateless_categorical(logits[:, -1, :] * inv_temp, 1, seed=tf.stack([seed, 7]), dtype=tf.int32)
    return nxt, h, c


def sample_speed_tf(batch):
    tok = tf.fill([batch, 1], 1)
    h = tf.zeros([batch, H])
    c = tf.zeros([batch, H])
    i = 0
    for _ in range(20):  # warm-up (tracing)
        tok, h, c = sample_step(tok, h, c, tf.constant(i)); i += 1
        tok.numpy()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.sample_seconds:
        tok, h, c = sample_step(tok, h, c, tf.constant(i)); i += 1
        tok.numpy()  # the caller gets every token (as a real generator would)
        n += 1
    return n * batch / (time.perf_counter() - t0)


def sample_speed_stateful(batch):
    m = build((batch, 1), stateful=True)
    m.set_weights(model.get_weights())
    rng = np.random.default_rng(args.seed)
    tok = np.ones((batch, 1), np.int32)

    def step(tok):
        logits = np.asarray(m.predict_on_batch(tok))[:, -1, :].astype(np.float64) * inv_temp
        logits -= logits.max(axis=1, keepdims=True)
        pr = np.exp(logits)
        pr /= pr.sum(axis=1, keepdims=True)
        u = rng.random((batch, 1))
        return np.minimum((pr.cumsum(axis=1) < u).sum(axis=1), V - 1).astype(np.int32)[:, None]

    for _ in range(20):
        tok = step(tok)
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.sample_seconds:
        tok = step(tok)
        n += 1
    return n * batch / (time.perf_counter() - t0)


sample_fn = sample_speed_tf if args.sample_mode == "tf_function" else sample_speed_stateful
sample_note = (f"tf.function step, explicit (h, c), jit_compile={args.sample_jit == 'on'}"
               if args.sample_mode == "tf_function" else "stateful Keras copy, predict_on_batch, NumPy draw")
s1 = sample_fn(1)
s16 = sample_fn(16)

# ---------------------------------------------------------------- report
intra = tf.config.threading.get_intra_op_parallelism_threads()
inter = tf.config.threading.get_inter_op_parallelism_threads()
threads = (f"intra-op {intra or 'TF default'}, inter-op {inter or 'TF default'} "
           f"(os.cpu_count()={os.cpu_count()}, sched affinity {len(os.sched_getaffinity(0))})")
rows = [
    ("TensorFlow / Keras", f"{tf.__version__} / {keras.__version__} (CPU, policy {args.policy})"),
    ("threads", threads),
    ("model", f"Embedding({V},{E}) N(0,1) init -> LSTM({H}, stateful) -> Dense({V}) logits; "
              f"{model.count_params():,} params"),
    ("optimizer", f"Adam(lr {args.lr}, {args.lr_schedule}"
                  f"{f' to x{args.final_lr_factor}' if args.lr_schedule == 'cosine' else ''}, "
                  f"{'global_clipnorm' if args.clip == 'global' else 'clipnorm'} {args.clip_norm}, "
                  f"0.9/0.999, eps 1e-7)"),
    ("training step", f"{args.mode}, jit_compile={model.jit_compile}"),
    ("data", f"{len(stream):,} ids; train {split_at:,} -> {TB} stripes x {train.stripe_length:,}, "
             f"{train.count:,} batches/epoch of {TB}x{TT}; val tail {len(val_stream):,} -> "
             f"{val.rows}x{val.seq}, {val.count} batches"),
    ("trained", f"{train_seconds:.1f} s, {done} batches, {tokens_seen:,} tokens, "
                f"{done / train.count:.3f} epochs; first batch {first_batch_s:.1f} s"),
    ("train loss", f"first {losses[0]:.3f}, last {losses[-1]:.3f}" if losses else "n/a"),
    ("train tokens/s", f"{train_tps:,.0f} (steady: {steady_note})"),
    ("val perplexity", f"{val_ppl:.2f} (loss {val_loss:.4f} nats over {val.tokens:,} tokens, {val_seconds:.1f} s)"),
    ("sample tokens/s b1", f"{s1:,.0f} ({sample_note}, T={args.temperature})"),
    ("sample tokens/s b16", f"{s16:,.0f} ({sample_note}, T={args.temperature})"),
]
width = max(len(k) for k, _ in rows)
for k, v in rows:
    print(f"{k.ljust(width)}  {v}")
if args.json:
    print(json.dumps({
        "train_tokens_per_s": round(train_tps, 1),
        "val_perplexity": round(val_ppl, 3),
        "sample_b1_tokens_per_s": round(s1, 1),
        "sample_b16_tokens_per_s": round(s16, 1),
        "seconds": round(train_seconds, 2),
        "tokens_seen": tokens_seen,
        "tf_version": tf.__version__,
        "keras_version": keras.__version__,
        "mode": args.mode,
        "policy": args.policy,
        "jit_compile": bool(model.jit_compile),
        "sample_mode": args.sample_mode,
        "sample_jit": args.sample_mode == "tf_function" and args.sample_jit == "on",
        "lr_schedule": args.lr_schedule,
        "clip": args.clip,
        "threads": {"intra": intra, "inter": inter},
    }))

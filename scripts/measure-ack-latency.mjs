// How long Slack waits for the bot's acknowledgement while generation workers run flat out on the
// same host. Needs `npm run build` and `redis-server` on PATH; starts and stops everything it uses.
//
//   node scripts/measure-ack-latency.mjs [--requests 200] [--concurrency 64] [--words 200] [--workers 2]
//                                        [--worker-niceness 10] [--models models]
//
// It starts its own redis-server on a free port, a small stand-in for Slack's Web API and
// response_urls on 127.0.0.1, `lstm-bot bot` and `--workers` x `lstm-bot worker` as separate
// processes (WORKER_NICENESS as given: 0 is the old behaviour). Then `--concurrency` clients each send
// a signed `/continue <prompt> --words N` and, once its answer reached the response_url, the next one,
// until `--requests` were sent. The acknowledgement time is from sending the request to the HTTP
// answer (Slack gives up after 3 s). Prints one JSON line.
/* global fetch, URLSearchParams */
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '64' },
    words: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' },
    'worker-niceness': { type: 'string', default: '10' },
    models: { type: 'string', default: 'models' },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const SECRET = `measure-${randomUUID()}`;
const TOKEN = 'xoxb-measure-ack';
const PROMPTS = [
  'did you see the game',
  'i think we should',
  'the weather today is',
  'what do you want to',
  'my favourite food',
];

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Slack's Web API as far as the bot uses it, and response_urls whose posts resolve `answered`. */
const answered = new Map();
const slack = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const response = /^\/response\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    if (response) {
      if (JSON.parse(body).response_type === 'in_channel') answered.get(response)?.();
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
    const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1];
    const answer =
      method === 'auth.test'
        ? { ok: true, team_id: 'TMEASURE', user_id: 'UBOT', bot_id: 'BBOT' }
        : method === 'users.info'
          ? { ok: true, user: { id: 'U1', is_admin: false } }
          : { ok: true, channel: 'CMEASURE', ts: `${Date.now() / 1000}` };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
});
await new Promise((resolve) => slack.listen(0, '127.0.0.1', resolve));
const slackBase = `http://127.0.0.1:${slack.address().port}`;

const children = [];
function start(args, env, readyLog) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (chunk) => {
      seen = (seen + chunk).slice(-4_000);
      if (readyLog && seen.includes(readyLog)) {
        readyLog = undefined;
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${seen.slice(-800)}`)));
  });
}

const redisPort = await freePort();
const redisServer = spawn(
  'redis-server',
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
redis.on('error', () => undefined); // refused until redis-server listens
await redis.ping();

const slackPort = await freePort();
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: 'measure-ack',
  MODELS_DIR: values.models,
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: `${slackBase}/api/`,
  SLACK_PORT: String(slackPort),
  HEALTH_PORT: '0',
  RATE_LIMIT_USER_PER_MINUTE: '0',
  RATE_LIMIT_CHANNEL_PER_MINUTE: '0',
  MAX_WORDS: String(Math.max(200, Number(values.words))),
  GENERATE_TIMEOUT_MS: '120000',
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
  WORKER_NICENESS: values['worker-niceness'],
};

let sent = 0;
async function request(prompt) {
  sent += 1;
  const id = `m${sent}`;
  const done = new Promise((resolve) => answered.set(id, resolve));
  const body = new URLSearchParams({
    command: '/continue',
    text: `${prompt} --words ${values.words}`,
    user_id: `U${sent % 50}`,
    channel_id: 'CMEASURE',
    team_id: 'TMEASURE',
    response_url: `${slackBase}/response/${id}`,
    trigger_id: randomUUID(),
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${slackPort}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature,
    },
    body,
  });
  await response.text();
  const ackMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`request ${id} answered ${response.status}`);
  return { ackMs, done };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
try {
  await start(['bin/lstm-bot.js', 'bot'], env, 'bot ready');
  await Promise.all(
    Array.from({ length: Number(values.workers) }, () =>
      start(['bin/lstm-bot.js', 'worker'], env, 'generation worker ready'),
    ),
  );
  await (
    await request('warm up the model')
  ).done; // loads the model in one worker, not measured
  sent = 0;
  const acks = [];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (sent < total) {
        const { ackMs, done } = await request(PROMPTS[(sent + client) % PROMPTS.length]);
        acks.push(ackMs);
        await done;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  acks.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms);
  console.log(
    JSON.stringify({
      workerNiceness: Number(values['worker-niceness']),
      workers: Number(values.workers),
      requests: acks.length,
      concurrency,
      words: Number(values.words),
      ack_p50_ms: round(percentile(acks, 50)),
      ack_p95_ms: round(percentile(acks, 95)),
      ack_p99_ms: round(percentile(acks, 99)),
      ack_max_ms: round(acks.at(-1)),
      acks_over_1s: acks.filter((ms) => ms > 1_000).length,
      acks_over_3s: acks.filter((ms) => ms > 3_000).length,
      answers_per_s: Number((acks.length / seconds).toFixed(1)),
    }),
  );
} finally {
  for (const child of children) child.kill('SIGKILL');
  await redis.quit().catch(() => undefined);
  redisServer.kill('SIGKILL');
  slack.close();
  slack.closeAllConnections();
}

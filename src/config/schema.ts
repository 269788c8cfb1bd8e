import { z } from 'zod';
import { parseRedisUrl } from './redis-target.js';
import { Secret } from './secret.js';

/** `MIN_WORDS` when none is set. */
const DEFAULT_MIN_WORDS = 8;

/** Environment-style booleans: `true/false`, `1/0`, `yes/no`, `on/off`. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])])
  .transform((value) => value === true || value === 'true' || value === '1' || value === 'yes' || value === 'on');

const secret = z
  .string()
  .trim()
  .min(1, 'must not be empty when set')
  .transform((value) => new Secret(value));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const temperature = z.coerce.number().min(0).max(2);
const niceness = z.coerce.number().int().min(0).max(19);
const url = z.url();
const slashCommand = z
  .string()
  .regex(/^\/[a-z0-9_-]{1,31}$/, 'must be a slash command such as /continue (lowercase, at most 32 characters)');

const settingsSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('pretty'),

  REDIS_URL: z
    .string()
    .check((ctx) => {
      try {
        parseRedisUrl(ctx.value);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: (error as Error).message, input: ctx.value });
      }
    })
    .optional()
    .describe(
      'Redis for queues, settings and model announcements: redis://[:password@]host:port[/db] (rediss:// for TLS); ' +
        'Sentinel: redis+sentinel://[:password@]host:port[,host:port...]/<master name>[/db]; ' +
        'Cluster: redis+cluster://[:password@]host:port[,host:port...]. Unset: redis://127.0.0.1:6379',
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must use only letters, digits, - and _')
    .default('lstm-bot')
    .describe(
      'Start of every Redis key and pub/sub channel; on a Cluster the keys start {QUEUE_PREFIX} (one hash slot)',
    ),

  DATA_DIR: z.string().min(1).default('data').describe('Private data: private Redis, imported history'),
  MODELS_DIR: z
    .string()
    .min(1)
    .default('models')
    .describe('Shared model store: channel models, readable by every host'),
  BASE_MODEL_DIR: z.string().min(1).optional().describe('The base model. Unset: MODELS_DIR/base'),

  DISCORD_TOKEN: secret.optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'must be a Discord snowflake (digits)')
    .optional(),
  DISCORD_API_URL: url.optional().describe('Override of https://discord.com/api (tests)'),
  DISCORD_MESSAGE_CONTENT: flag
    .default(false)
    .describe(
      'Ask the gateway for the privileged Message Content intent (turn it on in the Developer Portal first): ' +
        'live learning and chatter need it',
    ),

  SLACK_BOT_TOKEN: secret.optional(),
  SLACK_SIGNING_SECRET: secret.optional(),
  SLACK_APP_TOKEN: secret.optional().describe('xapp- token, only for Socket Mode'),
  SLACK_SOCKET_MODE: flag.default(false),
  SLACK_PORT: port.default(3000),
  SLACK_API_URL: url.optional().describe('Override of https://slack.com/api/ (tests)'),
  SLACK_ADMIN_USERS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .describe('Comma-separated Slack user ids allowed to change settings and retrain'),
  SLACK_COMMAND_CONTINUE: slashCommand
    .default('/continue')
    .describe('Slack slash command name, as in the app manifest'),
  SLACK_COMMAND_TEMPERATURE: slashCommand
    .default('/temperature')
    .describe('Slack slash command name, as in the app manifest'),
  SLACK_COMMAND_STATUS: slashCommand
    .default('/lstm-status')
    .describe('Slack slash command name, as in the app manifest'),
  SLACK_COMMAND_RETRAIN: slashCommand.default('/retrain').describe('Slack slash command name, as in the app manifest'),
  SLACK_COMMAND_FORGET: slashCommand.default('/forget').describe('Slack slash command name, as in the app manifest'),
  SLACK_COMMAND_SETTINGS: slashCommand
    .default('/lstm-settings')
    .describe('Slack slash command name, as in the app manifest'),
  SLACK_SHORTCUT_CONTINUE_MESSAGE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,255}$/, 'must be a callback id such as continue_message (letters, digits, _ . -)')
    .default('continue_message')
    .describe('Callback ID of the "Continue this message" message shortcut, as in the app manifest'),
  SLACK_HISTORY_PAGE_SIZE: positiveInt
    .max(999)
    .default(200)
    .describe('conversations.history page size; non-Marketplace distributed apps get at most 15'),

  DEFAULT_TEMPERATURE: temperature.default(0.8),
  DEFAULT_WORDS: positiveInt.max(200).default(40),
  MAX_WORDS: positiveInt.max(500).default(200),
  MIN_WORDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(500)
    .default(DEFAULT_MIN_WORDS)
    .describe('Words a continuation has before it may end (at most the words asked for)'),
  MAX_PROMPT_CHARS: positiveInt.max(10_000).default(1_000),
  RECENT_REPLIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000)
    .default(100)
    .describe('Replies per channel the bot remembers (in Redis) so as not to repeat their word pairs; 0 turns it off'),
  RECENT_REPLY_PENALTY: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.12)
    .describe(
      'Share of its probability a word keeps per remembered reply whose word pair it would repeat (0: never; 1: off)',
    ),
  GENERATE_TIMEOUT_MS: positiveInt.default(30_000),
  GENERATE_CONCURRENCY: positiveInt
    .max(256)
    .default(64)
    .describe('Generate jobs a worker holds at once: twice GENERATE_BATCH_MAX lets the next batch gather'),
  MODEL_CACHE_SIZE: positiveInt.max(1_000).default(8),
  GENERATE_ATTEMPTS: positiveInt.max(20).default(3).describe('Tries per /continue before the user gets an apology'),
  GENERATE_BATCH_MAX: positiveInt.max(256).default(32).describe('Most requests sharing one LSTM step'),
  GENERATE_BATCH_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000)
    .default(2)
    .describe('When idle, how long a request waits for others to share its batch'),
  WORKER_LOCK_MS: positiveInt
    .min(1_000)
    .default(10_000)
    .describe("Job lock: a killed worker's job is taken over after about this long"),
  WORKER_STALLED_INTERVAL_MS: positiveInt.min(500).default(5_000).describe('How often workers look for stalled jobs'),
  MODEL_CHECK_MS: positiveInt.default(2_000).describe('How often workers look for newly published models'),
  COMMAND_TIMEOUT_MS: positiveInt.default(2_000).describe('Longest a command waits on Redis before "unavailable"'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000).describe('On SIGTERM, longest wait for in-flight jobs'),
  CONSOLE_SESSION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must use only letters, digits, - and _')
    .optional()
    .describe('Console session to hold (unset: each console gets a free session of its host, see README)'),

  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(10).describe('0 turns the limit off'),
  RATE_LIMIT_CHANNEL_PER_MINUTE: z.coerce.number().int().min(0).default(60).describe('0 turns the limit off'),
  CHATTER_COOLDOWN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Least time between two unprompted replies (chatter) in one channel, across bot processes'),

  WORKER_NICENESS: niceness
    .default(10)
    .describe('Nice value of `lstm-bot worker` (0-19): generation yields the CPU to the bot on a shared host'),
  TRAIN_NICENESS: niceness
    .default(15)
    .describe('Nice value of each training child (0-19): lowest of all, after the bot and the workers'),

  TRAIN_CONCURRENCY: positiveInt.max(64).default(1).describe('Trainings at once across the deployment'),
  RETRAIN_DEFAULT_MESSAGES: positiveInt.default(10_000),
  RETRAIN_MAX_MESSAGES: positiveInt.default(50_000),
  KEEP_RAW_HISTORY: flag.default(false).describe('Keep collected history after training'),
  RETRAIN_KEEP_VERSIONS: positiveInt
    .max(20)
    .default(3)
    .describe("Versions of a channel's model kept for /retrain rollback"),
  TRAIN_TIME_LIMIT_MS: positiveInt.default(600_000).describe('Longest one training may run before it is stopped'),
  TRAIN_MEMORY_LIMIT_MB: positiveInt
    .min(64)
    .default(3_072)
    .describe('Most resident memory (native TensorFlow included) one training child may use before it is stopped'),

  HEALTH_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address of /healthz and /metrics; 0.0.0.0 lets Prometheus scrape from other hosts'),
  HEALTH_PORT: port.default(9464).describe('/healthz and /metrics; 0 picks a free port'),
});

/**
 * Every setting of every process, as environment variables (or the same keys in `config/lstm-bot.yaml`).
 * Defaults sit next to their type; `test/unit/readme.test.ts` checks the README's config table has a row per key.
 * A MIN_WORDS above MAX_WORDS could never be met (no one may ask for more words), so it is refused, not
 * clamped; the default MIN_WORDS above a small MAX_WORDS (an operator who set only `MAX_WORDS=5`) is
 * clamped to it (`commandLimitsFrom`), as before.
 */
export const configSchema = settingsSchema.refine(
  (config) => config.MIN_WORDS <= config.MAX_WORDS || config.MIN_WORDS === DEFAULT_MIN_WORDS,
  {
    path: ['MIN_WORDS'],
    error: (issue) => `must be at most MAX_WORDS (${String((issue.input as { MAX_WORDS: number }).MAX_WORDS)})`,
    when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === 'MIN_WORDS' || issue.path?.[0] === 'MAX_WORDS'),
  },
);

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
export type ConfigKey = keyof typeof configSchema.shape;

/** Every setting at its default: what a process reads with no environment and no config file. */
export const configDefaults: Config = Object.freeze(configSchema.parse({}));

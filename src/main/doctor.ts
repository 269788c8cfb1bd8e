import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/schema.js';
import { redisUrl } from '../config/redis-url.js';
import { describeRedisUrl } from '../config/redis-target.js';
import { pingRedis } from '../ops/ping-redis.js';
import { findModels } from '../model/store/find-models.js';
import { modelPaths } from '../model/store/model-location.js';
import { ModelResolver } from '../model/store/model-resolver.js';
import {
  bf16Support,
  cpuFlags,
  defaultSamplePrecision,
  defaultTrainPrecision,
} from '../model/lstm/output-precision.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  backend: string;
  checks: DoctorCheck[];
}

/** Checks what a process needs to run: config, Redis, the TensorFlow backend, models. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  let config: Config | undefined;
  try {
    config = loadConfig({ env });
    checks.push({ name: 'config', ok: true, detail: 'valid' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) {
      checks.push({ name: 'config', ok: false, detail: `${p.key}: ${p.expected} (got ${p.received})` });
    }
  }

  const url = redisUrl(config ?? { REDIS_URL: env.REDIS_URL });
  const shownUrl = describeRedisUrl(url);
  try {
    const ms = await pingRedis(url);
    checks.push({ name: 'redis', ok: true, detail: `reachable at ${shownUrl} (${ms.toFixed(1)} ms)` });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    checks.push({ name: 'redis', ok: false, detail: `not reachable at ${shownUrl}: ${reason}` });
  }

  const { tfLoad } = await import('../model/lstm/tf.js');
  checks.push({
    name: 'tensorflow',
    ok: tfLoad.native,
    detail: tfLoad.native
      ? 'native backend (tfjs-node)'
      : `JavaScript fallback: ${tfLoad.nativeError ?? 'tfjs-node missing'}; training will be very slow`,
  });

  checks.push(precisionCheck(env));

  // With a bad config, still look where the environment points.
  const paths = modelPaths({
    MODELS_DIR: config?.MODELS_DIR ?? env.MODELS_DIR ?? 'models',
    BASE_MODEL_DIR: config ? config.BASE_MODEL_DIR : env.BASE_MODEL_DIR || undefined,
  });
  const { modelsDir, baseModelDir: baseDir } = paths;
  const models = await findModels(modelsDir);
  // The workers' own resolution: what doctor calls installed is what answers `/continue`.
  const base = (await new ModelResolver(paths).resolveBase()) !== undefined;
  checks.push({
    name: 'models',
    ok: base,
    detail:
      (base ? `base model at ${baseDir}` : `no base model at ${baseDir}`) +
      `; ${models.length} model(s) found under ${modelsDir}${models.length ? ': ' + models.map((m) => m.path).join(', ') : ''}`,
  });

  return { ok: checks.every((c) => c.ok), backend: tfLoad.backend, checks };
}

/** The output layer's precision in training and sampling (`LSTM_BOT_TRAIN_PRECISION`, `LSTM_BOT_SAMPLE_PRECISION`). */
function precisionCheck(env: NodeJS.ProcessEnv): DoctorCheck {
  const flags = cpuFlags();
  try {
    const chosen = `training ${defaultTrainPrecision(env, flags)}, sampling ${defaultSamplePrecision(env, flags)}`;
    return {
      name: 'precision',
      ok: true,
      detail: `${chosen} (${bf16Support(flags, env).reason})`,
    };
  } catch (error) {
    return { name: 'precision', ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export function formatDoctorReport(report: DoctorReport): string {
  const lines = [`backend: ${report.backend}`];
  for (const check of report.checks) lines.push(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  lines.push(report.ok ? 'all checks passed' : `${report.checks.filter((c) => !c.ok).length} problem(s) found`);
  return lines.join('\n');
}

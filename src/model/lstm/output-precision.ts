/**
 * The precision of the output layer's products when a caller does not say: for training
 * (`TrainOptions.precision`) `LSTM_BOT_TRAIN_PRECISION`, for sampling (`LstmBatchStepper`)
 * `LSTM_BOT_SAMPLE_PRECISION` (`mixed` or `float32`) when set; otherwise `mixed` on a CPU that
 * multiplies bfloat16 natively (AVX512-BF16 or AMX: about 1.7 x float32's speed on those products)
 * and `float32` elsewhere, where TensorFlow would emulate bfloat16 slowly. Only the native backend
 * uses mixed precision; validation and evaluation are always float32.
 */
import { readFileSync } from 'node:fs';
import { CodedError } from '../../errors/coded-error.js';
import type { OutputPrecision } from './output-probabilities.js';

const PRECISIONS: readonly OutputPrecision[] = ['mixed', 'float32'];

export function isOutputPrecision(value: string): value is OutputPrecision {
  return (PRECISIONS as readonly string[]).includes(value);
}

const PROC_CPUINFO = '/proc/cpuinfo';
/** This machine's flags, read once: every stepper and every default precision asks. */
let machineFlags: ReadonlySet<string> | undefined;

/** The CPU flags of Linux's `/proc/cpuinfo` (empty elsewhere, or when it cannot be read). */
export function cpuFlags(cpuinfo = PROC_CPUINFO): ReadonlySet<string> {
  if (cpuinfo === PROC_CPUINFO) return (machineFlags ??= readFlags(cpuinfo));
  return readFlags(cpuinfo);
}

function readFlags(cpuinfo: string): ReadonlySet<string> {
  try {
    const line = /^flags\s*:(.*)$/m.exec(readFileSync(cpuinfo, 'utf8'));
    return new Set(line ? line[1]!.trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

export function defaultTrainPrecision(
  env: NodeJS.ProcessEnv = process.env,
  flags: ReadonlySet<string> = cpuFlags(),
): OutputPrecision {
  return precisionFrom('LSTM_BOT_TRAIN_PRECISION', env, flags);
}

/** The same rule for sampling's output layer (`LstmBatchStepper`), by `LSTM_BOT_SAMPLE_PRECISION`. */
export function defaultSamplePrecision(
  env: NodeJS.ProcessEnv = process.env,
  flags: ReadonlySet<string> = cpuFlags(),
): OutputPrecision {
  return precisionFrom('LSTM_BOT_SAMPLE_PRECISION', env, flags);
}

function precisionFrom(variable: string, env: NodeJS.ProcessEnv, flags: ReadonlySet<string>): OutputPrecision {
  const chosen = env[variable];
  if (chosen !== undefined && chosen !== '') {
    if (!isOutputPrecision(chosen)) {
      throw new CodedError('INVALID_TRAIN_OPTIONS', `${variable} must be mixed or float32, not "${chosen}"`);
    }
    return chosen;
  }
  return hasBf16(flags) ? 'mixed' : 'float32';
}

/** Whether the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX). */
export function hasBf16(flags: ReadonlySet<string> = cpuFlags()): boolean {
  return flags.has('avx512_bf16') || flags.has('amx_bf16');
}

/**
 * The precision of the output layer's products when a caller does not say: for training
 * (`TrainOptions.precision`) `LSTM_BOT_TRAIN_PRECISION`, for sampling (`LstmBatchStepper`)
 * `LSTM_BOT_SAMPLE_PRECISION` (`mixed` or `float32`) when set; otherwise `mixed` on a CPU that
 * multiplies bfloat16 natively (AVX512-BF16 or AMX: about 1.7 x float32's speed on those products)
 * and `float32` elsewhere, where TensorFlow would emulate bfloat16 slowly. Only the native backend
 * uses mixed precision; validation and evaluation are always float32.
 *
 * oneDNN multiplies bfloat16 only with AVX-512: below it (a CPU without AVX-512, or an operator's
 * `ONEDNN_MAX_CPU_ISA=AVX2`) its matmul cannot be made and TensorFlow aborts the whole process at the
 * first product ("could not create a primitive descriptor for the matmul primitive"), which no
 * JavaScript can catch. So `mixed` is the default only where oneDNN may use the CPU's bfloat16
 * instructions, and asking for it where oneDNN cannot multiply bfloat16 at all is refused up front.
 */
import { readFileSync } from 'node:fs';
import { CodedError } from '../../errors/coded-error.js';

/** How the output layer's products are computed (training, sampling): float32, or bfloat16 operands (`mixed`). */
export type OutputPrecision = 'float32' | 'mixed';

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
    const refusal = chosen === 'mixed' ? whyMixedCannotRun(flags, env) : undefined;
    if (refusal) throw new CodedError('INVALID_TRAIN_OPTIONS', `${variable}=mixed cannot run here: ${refusal}`);
    return chosen;
  }
  return hasBf16(flags, env) ? 'mixed' : 'float32';
}

/** Whether the CPU has bfloat16 instructions (AVX512-BF16 or AMX), whatever oneDNN is allowed to use. */
function cpuHasBf16(flags: ReadonlySet<string>): boolean {
  return flags.has('avx512_bf16') || flags.has('amx_bf16');
}

/** Whether `TF_ENABLE_ONEDNN_OPTS=0` keeps TensorFlow from oneDNN (which is then not used at all). */
export function onednnOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TF_ENABLE_ONEDNN_OPTS === '0';
}

/**
 * Whether bfloat16 products run natively, and why (as `lstm-bot doctor` says it): on the CPU's bfloat16
 * instructions, through oneDNN, so TensorFlow's oneDNN on (with `TF_ENABLE_ONEDNN_OPTS=0` Eigen
 * multiplies bfloat16 no faster than float32) and oneDNN's ISA limit, if set, leaving it those
 * instructions (`AVX512_CORE_BF16` and above).
 */
export function bf16Support(
  flags: ReadonlySet<string> = cpuFlags(),
  env: NodeJS.ProcessEnv = process.env,
): { native: boolean; reason: string } {
  if (!cpuHasBf16(flags)) return { native: false, reason: 'the CPU lacks bfloat16 instructions' };
  if (onednnOff(env)) {
    return { native: false, reason: "TF_ENABLE_ONEDNN_OPTS=0 turns off oneDNN, which uses the CPU's bfloat16" };
  }
  const limit = onednnIsaLimit(env);
  if (limit && !/BF16|AMX|FP16|AVX10/.test(limit.isa)) {
    return {
      native: false,
      reason: `${limit.variable}=${limit.isa} keeps oneDNN from the CPU's bfloat16 instructions`,
    };
  }
  return { native: true, reason: 'the CPU has bfloat16 instructions' };
}

/** `bf16Support(...).native`. */
export function hasBf16(flags: ReadonlySet<string> = cpuFlags(), env: NodeJS.ProcessEnv = process.env): boolean {
  return bf16Support(flags, env).native;
}

/**
 * oneDNN's CPU instruction set limit as the operator set it (`ONEDNN_MAX_CPU_ISA`, or its older name
 * `DNNL_MAX_CPU_ISA`, both read by oneDNN): the variable and its value upper-cased; undefined when
 * unset or `ALL`/`DEFAULT` (no limit).
 */
export function onednnIsaLimit(env: NodeJS.ProcessEnv = process.env): { variable: string; isa: string } | undefined {
  const variable = env.ONEDNN_MAX_CPU_ISA !== undefined ? 'ONEDNN_MAX_CPU_ISA' : 'DNNL_MAX_CPU_ISA';
  const isa = env[variable]?.trim().toUpperCase();
  return isa && isa !== 'ALL' && isa !== 'DEFAULT' ? { variable, isa } : undefined;
}

/**
 * Why oneDNN cannot multiply bfloat16 here (it needs AVX-512), or undefined: the flags say the CPU
 * lacks AVX-512 (unknown flags, off Linux, are not held against it), or the ISA limit is below
 * `AVX512_CORE`. With TensorFlow's oneDNN off, Eigen multiplies bfloat16 anywhere (no faster than float32).
 */
export function whyMixedCannotRun(
  flags: ReadonlySet<string> = cpuFlags(),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (onednnOff(env)) return undefined;
  if (flags.size > 0 && !flags.has('avx512f')) return 'the CPU lacks AVX-512, which bfloat16 products need';
  const limit = onednnIsaLimit(env);
  if (limit && !/^AVX512|^AVX10/.test(limit.isa)) {
    return `${limit.variable}=${limit.isa} keeps oneDNN below AVX-512, which bfloat16 products need`;
  }
  return undefined;
}

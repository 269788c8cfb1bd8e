import type { ChannelRef } from '../commands/channel-ref.js';
import type { FineTuneOptions } from '../model/training/fine-tune.js';
import type { TrainingProgress, TrainingSummary } from './training-progress.js';

/** What a training child needs; sent over IPC (never in job data: it holds the Redis URL). */
export interface TrainChildPayload {
  redisUrl: string;
  prefix: string;
  modelsDir: string;
  baseModelDir: string;
  channel: ChannelRef;
  /** The `/retrain` request: names its checkpoints, so a later attempt of the job resumes from them. */
  requestId: string;
  messages: number;
  maxStoredMessages: number;
  keepRawHistory: boolean;
  keepVersions: number;
  fineTune: Partial<Omit<FineTuneOptions, 'signal' | 'onEvent'>>;
}

export type ToTrainChild =
  | { type: 'start'; payload: TrainChildPayload; /** The child's nice value (`TRAIN_NICENESS`). */ niceness?: number }
  | { type: 'cancel' };

export type FromTrainChild =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'checkpoint-ignored'; reason: string }
  | { type: 'done'; summary: TrainingSummary }
  | {
      type: 'failed';
      code: string;
      message: string;
      /** The coded error's details (numbers a reply shows). */ details?: Record<string, number | string>;
    };

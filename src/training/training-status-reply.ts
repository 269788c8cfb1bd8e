import type { ReplyJobData } from '../queue/reply-job.js';
import type { TrainJobData } from '../queue/train-job.js';

/** States of one attempt's progress; position updates come before every attempt's first state. */
const STATES_PER_ATTEMPT = 1_000_000;

/** `n` of a state newer than any other of its attempt (a request cancelled while it waited). */
export const LAST_STATE = STATES_PER_ATTEMPT - 1;

/** Where a state of a `/retrain`'s status message comes from, which orders it among the others. */
export type TrainingStatusStep =
  | { kind: 'queued' }
  | { kind: 'waiting'; position: number }
  | { kind: 'progress'; attempt: number; n: number; stage: string }
  /** The final state; `failed` when the request failed (an apology); neither a summary nor a cancel asked for. */
  | { kind: 'end'; attempt: number; n: number; failed: boolean };

/**
 * A state of the one status message of a `/retrain` request (`train-<request id>`), as a reply job:
 * its id names the request and the step, so the same state is queued once however many trainers
 * post it; its `seq` puts the `/retrain` acknowledgement first, then queue positions (the nearer the
 * front, the newer), then the training's progress, each attempt after the one before.
 */
export function trainingStatusReply(
  data: Pick<TrainJobData, 'requestId' | 'replyTo' | 'requestedAt'>,
  step: TrainingStatusStep,
  text: string,
): ReplyJobData {
  const { id, seq, stage } = describe(step);
  return {
    v: 1,
    generateJobId: trainingStatusJobId(data.requestId, id),
    address: data.replyTo,
    reply: { text, visibility: 'public' },
    outcome: step.kind === 'end' && step.failed ? 'apology' : 'answer',
    requestedAt: data.requestedAt,
    status: { key: `train-${data.requestId}`, seq, stage },
  };
}

/** The reply job id (`generateJobId`) of a request's state: `end` names its final state. */
export function trainingStatusJobId(requestId: string, step: string): string {
  return `train-${requestId}-${step}`;
}

function describe(step: TrainingStatusStep): { id: string; seq: number; stage: string } {
  switch (step.kind) {
    case 'queued':
      return { id: 'queued', seq: 0, stage: 'queued' };
    case 'waiting':
      return {
        id: `pos${step.position}`,
        seq: STATES_PER_ATTEMPT - Math.min(step.position, STATES_PER_ATTEMPT - 1),
        stage: 'queued',
      };
    case 'progress':
      return { id: `a${step.attempt}-${step.n}`, seq: step.attempt * STATES_PER_ATTEMPT + step.n, stage: step.stage };
    case 'end':
      return { id: 'end', seq: step.attempt * STATES_PER_ATTEMPT + step.n, stage: 'done' };
  }
}

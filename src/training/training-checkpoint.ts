import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ChannelRef } from '../commands/channel-ref.js';
import type { FineTuneCheckpoint, FineTuneStart } from '../model/training/fine-tune.js';
import { loadModel } from '../model/store/load-model.js';
import { disposeParams } from '../model/lstm/lstm-params.js';
import type { ModelCard } from '../model/store/model-card.js';
import { saveModel } from '../model/store/save-model.js';
import { channelModelDir } from '../model/store/model-location.js';

/** What a checkpoint records beside its weights and vocabulary (`checkpoint.json`). */
export interface CheckpointState {
  format: 'lstm-bot-checkpoint';
  formatVersion: 1;
  requestId: string;
  /** The base model's card id: a checkpoint from another base model is not resumed. */
  baseModelId: string;
  /** sha256 of the messages trained on: a checkpoint of other messages is not resumed. */
  messagesSha256: string;
  messages: number;
  heldOutMessages: number;
  perplexityBase: number;
  wordsAdded: string[];
  epochs: number;
  tokensSeen: number;
  trainingMs: number;
  validationLoss: number;
  savedAt: string;
}

/** A checkpoint that can be resumed: `start` for `fineTune` (the caller disposes `start.params`). */
export interface LoadedCheckpoint {
  state: CheckpointState;
  start: FineTuneStart;
}

/**
 * The checkpoint of one `/retrain` request in the shared model store, so that any trainer host can
 * resume the job: `channels/<platform>/<workspace>/<channel>/checkpoints/<requestId>/`, holding
 * `<id>/` folders (a model folder plus `checkpoint.json`) and a `latest` symlink to the newest complete
 * one. A new checkpoint is written beside the old, then `latest` is switched by rename, then the old is
 * removed: a trainer killed at any point leaves `latest` naming a complete checkpoint, or none.
 */
export class TrainingCheckpoint {
  readonly dir: string;

  constructor(modelsDir: string, channel: ChannelRef, requestId: string) {
    this.dir = join(channelModelDir(modelsDir, channel), 'checkpoints', encodeURIComponent(requestId));
  }

  /** Writes `checkpoint` (taken during the fine-tuning of `base` on messages hashing to `messagesSha256`). */
  async save(
    checkpoint: FineTuneCheckpoint,
    run: { requestId: string; baseCard: ModelCard; messagesSha256: string; messages: number },
  ): Promise<void> {
    const previous = await this.#latest();
    const id = `c${Date.now()}-${randomBytes(3).toString('hex')}`;
    const folder = join(this.dir, id);
    const card: Omit<ModelCard, 'weights'> = {
      ...run.baseCard,
      id: `checkpoint-${run.requestId}-${id}`,
      createdAt: new Date().toISOString(),
      config: checkpoint.params.config,
      validation: { ...checkpoint.validation, tokens: 0 },
      command: `checkpoint of a retraining from ${run.baseCard.id}`,
    };
    await saveModel(folder, { params: checkpoint.params, vocab: checkpoint.vocab, card });
    const state: CheckpointState = {
      format: 'lstm-bot-checkpoint',
      formatVersion: 1,
      requestId: run.requestId,
      baseModelId: run.baseCard.id,
      messagesSha256: run.messagesSha256,
      messages: run.messages,
      heldOutMessages: checkpoint.heldOutMessages,
      perplexityBase: checkpoint.perplexityBase,
      wordsAdded: checkpoint.wordsAdded,
      epochs: checkpoint.epochs,
      tokensSeen: checkpoint.tokensSeen,
      trainingMs: checkpoint.trainingMs,
      validationLoss: checkpoint.validation.loss,
      savedAt: new Date().toISOString(),
    };
    await writeFile(join(folder, 'checkpoint.json'), `${JSON.stringify(state, null, 2)}\n`);
    const link = join(this.dir, `.latest-${randomBytes(4).toString('hex')}`);
    await symlink(id, link);
    await rename(link, join(this.dir, 'latest'));
    if (previous) await rm(join(this.dir, previous), { recursive: true, force: true });
  }

  /**
   * The checkpoint to resume, or why there is none to resume: absent, unreadable, or not of this run
   * (another request, another base model, other messages, another vocabulary).
   */
  async load(run: {
    requestId: string;
    baseCard: ModelCard;
    baseVocabulary: FineTuneStart['vocab'];
    messagesSha256: string;
  }): Promise<LoadedCheckpoint | { ignored: string | undefined }> {
    const latest = await this.#latest();
    if (!latest) return { ignored: undefined };
    const folder = join(this.dir, latest);
    let state: CheckpointState;
    try {
      state = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8')) as CheckpointState;
    } catch (error) {
      return { ignored: `checkpoint.json is unreadable (${(error as Error).message})` };
    }
    const problem =
      state?.format !== 'lstm-bot-checkpoint' || state.formatVersion !== 1
        ? 'checkpoint.json is not a checkpoint (format 1)'
        : state.requestId !== run.requestId
          ? `it belongs to request ${state.requestId}`
          : state.baseModelId !== run.baseCard.id
            ? `it was trained from base model ${state.baseModelId}, not ${run.baseCard.id}`
            : state.messagesSha256 !== run.messagesSha256
              ? 'the stored messages changed since it was written'
              : !isProgress(state)
                ? 'its progress fields are invalid'
                : undefined;
    if (problem) return { ignored: problem };
    let model: Awaited<ReturnType<typeof loadModel>>;
    try {
      model = await loadModel(folder);
    } catch (error) {
      return { ignored: (error as Error).message };
    }
    const expected = run.baseVocabulary.withAddedTokens(state.wordsAdded);
    if (JSON.stringify(model.vocab.toJSON()) !== JSON.stringify(expected.toJSON())) {
      disposeParams(model.params);
      return { ignored: 'its vocabulary is not the base vocabulary with its added words' };
    }
    return {
      state,
      start: {
        params: model.params,
        vocab: model.vocab,
        wordsAdded: state.wordsAdded,
        heldOutMessages: state.heldOutMessages,
        perplexityBase: state.perplexityBase,
        epochs: state.epochs,
        trainingMs: state.trainingMs,
      },
    };
  }

  /** True when an earlier run of this request left a checkpoint (the job is resuming). */
  async exists(): Promise<boolean> {
    return (await this.#latest()) !== undefined;
  }

  /**
   * Deletes the checkpoints of the channel's other requests: one training per channel runs at a time,
   * so they are left over from a job that ended without its trainer (it stalled a second time).
   */
  async removeOthers(): Promise<void> {
    const parent = dirname(this.dir);
    const names = await readdir(parent).catch(() => [] as string[]);
    for (const name of names) {
      if (name !== basename(this.dir)) await rm(join(parent, name), { recursive: true, force: true });
    }
  }

  /** Deletes the request's checkpoints (the job ended), and the folders above when that leaves them empty. */
  async remove(): Promise<void> {
    // Retried on ENOTEMPTY: a cancelled training child may be finishing a checkpoint write.
    await rm(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    for (const dir of [dirname(this.dir), dirname(dirname(this.dir))]) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }

  async #latest(): Promise<string | undefined> {
    try {
      return await readlink(join(this.dir, 'latest'));
    } catch {
      return undefined;
    }
  }
}

function isProgress(state: CheckpointState): boolean {
  const finite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return (
    finite(state.epochs) &&
    finite(state.trainingMs) &&
    finite(state.tokensSeen) &&
    finite(state.perplexityBase) &&
    Number.isInteger(state.heldOutMessages) &&
    state.heldOutMessages > 0 &&
    Array.isArray(state.wordsAdded) &&
    state.wordsAdded.every((word) => typeof word === 'string')
  );
}

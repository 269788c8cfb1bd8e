import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/command-context.js';
import { retrainCommand } from '../../../src/commands/retrain-command.js';
import type { TrainingControl, TrainRequestResult } from '../../../src/commands/training-control.js';

class FakeTrainingControl implements TrainingControl {
  stored = 100;
  requests: unknown[] = [];
  async storedMessages() {
    return this.stored;
  }
  async request(request: unknown): Promise<TrainRequestResult> {
    this.requests.push(request);
    return { status: 'queued', jobId: 'j', requestId: 'r', position: 1 };
  }
  statuses: unknown[] = [];
  async showStatus(requestId: string, _replyTo: unknown, text: string) {
    this.statuses.push({ requestId, text });
    return { pendingJobId: `train-${requestId}-end`, status: { key: `train-${requestId}`, stage: 'queued' } };
  }
  async cancel() {
    return 'none' as const;
  }
  async rollback() {
    return undefined;
  }
  async forgetChannel() {}
  async forgetUser() {
    return 0;
  }
}

const context = (platform: 'discord' | 'console'): CommandContext => ({
  channel: { platform, workspace: 'w', channel: 'c' },
  caller: { userId: 'admin', canManageChannel: true, canManageWorkspace: true },
  replyTo: { platform: 'console', sessionId: 's', channelId: 'c' },
});

describe('retrainCommand', () => {
  const limits = { defaultMessages: 1_000, maxMessages: 2_000 };

  it.each([5, 2_001, 1.5])('refuses %s messages with a message that names the range', async (messages) => {
    const control = new FakeTrainingControl();
    await expect(
      retrainCommand(control, limits)({ name: 'retrain', action: 'start', messages }, context('console')),
    ).rejects.toMatchObject({ key: 'retrain.badMessages', params: [{ max: 2_000 }] });
    expect(control.requests).toHaveLength(0);
  });

  it('asks for the default number of messages when none is given', async () => {
    const control = new FakeTrainingControl();
    await retrainCommand(control, limits)({ name: 'retrain', action: 'start' }, context('console'));
    expect(control.requests).toEqual([expect.objectContaining({ messages: 1_000, userId: 'admin' })]);
  });

  it('starts the status message with the acknowledgement and waits for the final state', async () => {
    const control = new FakeTrainingControl();
    const outcome = await retrainCommand(control, limits)({ name: 'retrain', action: 'start' }, context('console'));
    expect(outcome.text).toMatch(/queued \(position 1\)/);
    expect(control.statuses).toEqual([{ requestId: 'r', text: outcome.text }]);
    expect(outcome.pendingJobId).toBe('train-r-end');
    expect(outcome.status).toEqual({ key: 'train-r', stage: 'queued' });
  });

  it('needs stored history only where the trainer cannot read the platform', async () => {
    const control = new FakeTrainingControl();
    control.stored = 0;
    const command = retrainCommand(control, { ...limits, collectsHistory: (p) => p === 'discord' });
    await expect(command({ name: 'retrain', action: 'start' }, context('console'))).rejects.toMatchObject({
      key: 'retrain.noHistory',
    });
    await command({ name: 'retrain', action: 'start' }, context('discord'));
    expect(control.requests).toHaveLength(1);
  });

  it('where the channel learns live, trains on its stored messages only: needs them, and asks for no history', async () => {
    const control = new FakeTrainingControl();
    const command = retrainCommand(control, {
      ...limits,
      collectsHistory: () => true,
      learnsLive: async (channel) => channel.channel === 'c',
    });
    control.stored = 0;
    await expect(command({ name: 'retrain', action: 'start' }, context('discord'))).rejects.toMatchObject({
      key: 'retrain.noHistory',
    });
    control.stored = 100;
    await command({ name: 'retrain', action: 'start' }, context('discord'));
    expect(control.requests).toEqual([expect.objectContaining({ live: true })]);
  });

  it('where learning is off, asks as before (no live flag)', async () => {
    const control = new FakeTrainingControl();
    const command = retrainCommand(control, { ...limits, learnsLive: async () => false });
    await command({ name: 'retrain', action: 'start' }, context('discord'));
    expect(control.requests).toEqual([expect.not.objectContaining({ live: true })]);
  });
});

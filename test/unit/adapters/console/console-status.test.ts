import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleChannel, type ConsoleChannelOptions } from '../../../../src/adapters/console/console-channel.js';
import { ConsoleStatusLines } from '../../../../src/adapters/console/console-status-lines.js';
import type { CommandEntry } from '../../../../src/commands/chat-adapter.js';
import type { ReplyAddress } from '../../../../src/commands/reply-address.js';
import { renderReply } from '../../../../src/replies/reply-catalogue.js';
import { silentLogger } from '../../../helpers/redis-test-env.js';

const address: ReplyAddress = { platform: 'console', sessionId: 's', channelId: 'general' };
/** `/retrain` answers with the first state of its status message, as `retrainCommand` does. */
const commands: CommandEntry = {
  handleCommand: async () => ({
    text: 'Retraining on up to 200 stored messages: queued (position 1).',
    visibility: 'private',
    pendingJobId: 'train-r1-end',
    status: { key: 'train-r1', stage: 'queued' },
  }),
};

/** Up one line (`moveCursor(0, -1)`) and clear from there down (`clearScreenDown`). */
const REDRAW_ONE_ROW = '\x1b[1A\x1b[0J';

describe('a status message on the console', () => {
  let input: PassThrough;
  let channel: ConsoleChannel | undefined;

  afterEach(async () => {
    input.end();
    await channel?.finished;
    channel = undefined;
  });

  const start = async (interactive: boolean, options: Partial<ConsoleChannelOptions> = {}) => {
    input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    channel = new ConsoleChannel({ input, output, interactive, sessionId: 's', logger: silentLogger, ...options });
    await channel.start(commands);
    const state = (text: string, stage: string, key = 'train-r1') =>
      channel!.sender.send(address, { text, visibility: 'public', status: { key, stage } });
    return { state, printed: () => printed };
  };

  it('on a terminal, redraws the status line in place while nothing else was printed', async () => {
    const { state, printed } = await start(true);
    await state('Retraining: reading messages, 10 of 20.', 'reading');
    const first = printed();
    expect(first).toContain('Retraining: reading messages, 10 of 20.\n');
    expect(first).not.toContain(REDRAW_ONE_ROW);

    await state('Retraining: epoch 1/2, batch 3/9.', 'training');
    const second = printed().slice(first.length);
    expect(second.indexOf(REDRAW_ONE_ROW)).toBeGreaterThanOrEqual(0);
    expect(second.indexOf(REDRAW_ONE_ROW)).toBeLessThan(second.indexOf('Retraining: epoch 1/2'));

    // Another status message, or any other output, starts a new line: nothing is drawn over it.
    await state('Retraining: waiting for other trainings to finish, position 1 in the queue.', 'queued', 'train-r2');
    await channel!.sender.send(address, { text: 'an answer', visibility: 'public' });
    const before = printed().length;
    await state('Retraining: epoch 2/2, batch 1/9.', 'training');
    expect(printed().slice(before)).not.toContain(REDRAW_ONE_ROW);
  });

  it('on a terminal, prints the /retrain answer as the status line that its progress then redraws', async () => {
    const { state, printed } = await start(true);
    input.write('/retrain\n');
    await vi.waitFor(() => expect(printed(), 'the /retrain answer printed').toContain('queued (position 1)'), {
      timeout: 2_000,
      interval: 10,
    });
    const before = printed().length;
    await state('Retraining: loading the base model.', 'loading');
    const after = printed().slice(before);
    expect(after).toContain(`${REDRAW_ONE_ROW}Retraining: loading the base model.\n`);
    channel!.posted({ generateJobId: 'train-r1-end', outcome: 'answer' }); // the summary was delivered: the session may end
  });

  it('on a terminal, goes up as many rows as the previous state took', async () => {
    const { state, printed } = await start(true);
    await state(`Retraining: ${'x'.repeat(140)}`, 'training'); // 152 characters: 2 rows of 80 columns
    const before = printed().length;
    await state('Retrained.', 'done');
    expect(printed().slice(before)).toContain('\x1b[2A\x1b[0J');
  });

  it('piped, prints only changes of stage and the final state', async () => {
    const { state, printed } = await start(false);
    await state('Retraining on up to 200 stored messages: queued (position 1).', 'queued');
    await state('Retraining: waiting for other trainings to finish, position 1 in the queue.', 'queued');
    await state('Retraining: reading messages, 10 of 20.', 'reading');
    await state('Retraining: reading messages, 20 of 20.', 'reading');
    await state('Retraining: epoch 1/2, batch 3/9.', 'training');
    await state('Retraining: epoch 2/2, batch 9/9.', 'training');
    await state('Retrained on 200 messages.', 'done');
    expect(printed().trimEnd().split('\n')).toEqual([
      'Retraining on up to 200 stored messages: queued (position 1).',
      'Retraining: reading messages, 10 of 20.',
      'Retraining: epoch 1/2, batch 3/9.',
      'Retrained on 200 messages.',
    ]);
  });

  it('piped, waits for a /retrain past the drain timeout, printing progress, and counts its failure', async () => {
    const { state, printed } = await start(false, { drainTimeoutMs: 10, progressEveryMs: 1_500 });
    input.end('/retrain\n');
    await state('Retraining: epoch 1/2, batch 3/9.', 'training');
    // Input has ended and the drain timeout is long past: still waiting, and saying so.
    await vi.waitFor(() => expect(printed()).toMatch(/Retraining: still at it \(\d+ s since \/retrain\)\./), {
      timeout: 5_000,
    });
    await state('The retraining failed; the current model stays.', 'done');
    channel!.posted({ generateJobId: 'train-r1-end', outcome: 'apology' });
    await channel!.finished;
    expect(channel!.outcome).toEqual({ failed: 1, missing: 0 });
  });

  it('piped, counts a command the bot could not carry out as failed, and a refusal not', async () => {
    input = new PassThrough();
    const answers = [
      { text: renderReply('command.unavailable'), visibility: 'private', failed: true },
      { text: renderReply('continue.emptyPrompt'), visibility: 'private' },
    ] as const;
    let asked = 0;
    const unavailable: CommandEntry = { handleCommand: async () => answers[asked++] ?? answers[1] };
    const output = new PassThrough();
    channel = new ConsoleChannel({ input, output, interactive: false, sessionId: 's', logger: silentLogger });
    await channel.start(unavailable);
    input.end('/continue hello\n/continue\n');
    await channel.finished;
    expect(channel.outcome).toEqual({ failed: 1, missing: 0 });
  });

  it('piped, gives up on answers that never came after the drain timeout and counts them', async () => {
    input = new PassThrough();
    const pending: CommandEntry = {
      handleCommand: async () => ({ text: '', visibility: 'public', pendingJobId: 'g1' }),
    };
    const options = { input, output: new PassThrough(), interactive: false, sessionId: 's', logger: silentLogger };
    channel = new ConsoleChannel({ ...options, drainTimeoutMs: 50 });
    await channel.start(pending);
    input.end('/continue hello\n');
    await channel.finished;
    expect(channel.outcome).toEqual({ failed: 0, missing: 1 });
  });
});

describe('a console taking over a session', () => {
  it('waits for and prints what an earlier console of the session was waiting for, then drops what never came', async () => {
    const stored = new Map<string, string | undefined>([
      ['g1', undefined],
      ['g-lost', undefined],
    ]);
    const pendingStore = {
      list: async () => [...stored].map(([id, statusKey]) => ({ id, statusKey })),
      add: async (a: { id: string; statusKey?: string }) => void stored.set(a.id, a.statusKey),
      remove: async (id: string) => void stored.delete(id),
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const channel = new ConsoleChannel({
      ...{ input, output, interactive: false, sessionId: 's', logger: silentLogger },
      pendingStore,
      drainTimeoutMs: 300,
    });
    await channel.start(commands);
    input.end();
    await channel.sender.send(address, { text: 'the answer that was pending', visibility: 'public' });
    channel.posted({ generateJobId: 'g1', outcome: 'answer' });
    await channel.finished;
    expect(printed).toBe('the answer that was pending\n');
    expect(channel.outcome).toEqual({ failed: 0, missing: 1 });
    expect([...stored.keys()]).toEqual([]);
  });
});

describe('piped status lines', () => {
  it('prints a line at least every 15 s while a status message is unfinished: its newest state, or that it goes on', () => {
    let now = 0;
    const lines = new ConsoleStatusLines(false, { now: () => now });
    lines.waiting('train-r1');
    expect(lines.plan('queued', { key: 'train-r1', stage: 'queued' }, 80)).toEqual({ action: 'print' });
    now = 10_000;
    expect(lines.due()).toEqual([]);
    expect(lines.plan('queued, position 1', { key: 'train-r1', stage: 'queued' }, 80)).toEqual({ action: 'skip' });
    now = 14_000;
    expect(lines.due()).toEqual(['queued, position 1']);
    now = 28_000;
    expect(lines.due()).toEqual(['Retraining: still at it (28 s since /retrain).']);
    expect(lines.plan('Retrained.', { key: 'train-r1', stage: 'done' }, 80)).toEqual({ action: 'print' });
    now = 60_000;
    expect(lines.due()).toEqual([]);
  });
});

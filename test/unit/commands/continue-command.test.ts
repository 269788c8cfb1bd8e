import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/command-context.js';
import { commandLimitsFrom } from '../../../src/commands/command-limits.js';
import { continueCommand, type ContinueDeps } from '../../../src/commands/continue-command.js';
import { generateJobSchema, type GenerateJobData } from '../../../src/queue/generate-job.js';
import { UserError } from '../../../src/replies/user-error.js';

const context: CommandContext = {
  channel: { platform: 'console', workspace: 'w', channel: 'c' },
  caller: { userId: 'u', canManageChannel: false, canManageWorkspace: false },
  replyTo: { platform: 'console', sessionId: 's', channelId: 'c' },
};

function deps(minWords = 8): { deps: ContinueDeps; jobs: GenerateJobData[] } {
  const jobs: GenerateJobData[] = [];
  return {
    jobs,
    deps: {
      settings: {
        get: async () => ({}),
        setTemperature: async () => {},
        resetTemperature: async () => {},
        setSwitch: async () => {},
        setNumber: async () => {},
      },
      queue: { enqueue: async (data) => (jobs.push(data), 'job') },
      rateLimiter: { take: async () => ({ allowed: true }) },
      limits: commandLimitsFrom({
        DEFAULT_TEMPERATURE: 0.8,
        DEFAULT_WORDS: 40,
        MIN_WORDS: minWords,
        MAX_WORDS: 200,
        MAX_PROMPT_CHARS: 1_000,
      }),
    },
  };
}

describe('continueCommand min words', () => {
  it('asks for MIN_WORDS words by default, never more than the words asked for', async () => {
    const { deps: d, jobs } = deps();
    await continueCommand(d, { name: 'continue', prompt: 'how do i' }, context);
    await continueCommand(d, { name: 'continue', prompt: 'how do i', words: 5 }, context);
    await continueCommand(d, { name: 'continue', prompt: 'how do i', words: 30, minWords: 30 }, context);
    expect(jobs.map((job) => job.options)).toEqual([
      { temperature: 0.8, maxWords: 40, minWords: 8 },
      { temperature: 0.8, maxWords: 5, minWords: 5 },
      { temperature: 0.8, maxWords: 30, minWords: 30 },
    ]);
  });

  it.each([
    [{ minWords: -1 }, 40],
    [{ minWords: 2.5 }, 40],
    [{ minWords: Number.NaN }, 40],
    [{ minWords: 41 }, 40],
    [{ minWords: 11, words: 10 }, 10],
  ])('refuses %o with the range 0 to %i', async (asked, max) => {
    const { deps: d, jobs } = deps();
    const refused = await continueCommand(d, { name: 'continue', prompt: 'hi', ...asked }, context).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UserError);
    expect({ ...(refused as UserError) }).toMatchObject({ key: 'continue.badMinWords', params: [{ max }] });
    expect(jobs).toEqual([]);
  });
});

describe('continueCommand with the channel’s min words', () => {
  const withChannelMinWords = (minWords: number) => {
    const made = deps();
    let reads = 0;
    made.deps.settings.get = async () => ((reads += 1), { minWords, mentions: true });
    return { ...made, reads: () => reads };
  };

  it('uses the channel’s min words where the command gives none, at most the words asked for', async () => {
    const { deps: d, jobs } = withChannelMinWords(20);
    await continueCommand(d, { name: 'continue', prompt: 'how do i' }, context);
    await continueCommand(d, { name: 'continue', prompt: 'how do i', words: 12 }, context);
    await continueCommand(d, { name: 'continue', prompt: 'how do i', minWords: 3 }, context);
    await continueCommand(d, { name: 'continue', prompt: 'how do i', via: 'mention' }, context);
    expect(jobs.map((job) => job.options.minWords)).toEqual([20, 12, 3, 20]);
  });

  it('reads the settings once per command, a mention’s too', async () => {
    const plain = withChannelMinWords(20);
    await continueCommand(plain.deps, { name: 'continue', prompt: 'hi' }, context);
    expect(plain.reads()).toBe(1);
    const mention = withChannelMinWords(20);
    await continueCommand(mention.deps, { name: 'continue', prompt: 'hi', via: 'mention' }, context);
    expect(mention.reads()).toBe(1);
  });
});

describe('continueCommand via chatter', () => {
  it('counts against the channel only: the author answered unprompted keeps their own requests', async () => {
    const made = deps();
    const users: (string | undefined)[] = [];
    made.deps.settings.get = async () => ({ chatter: 0.2 });
    made.deps.rateLimiter = { take: async (_channel, userId) => (users.push(userId), { allowed: true }) };
    await continueCommand(made.deps, { name: 'continue', prompt: 'nice day', via: 'chatter' }, context);
    await continueCommand(made.deps, { name: 'continue', prompt: 'nice day' }, context);
    expect(users).toEqual([undefined, context.caller.userId]);
    expect(made.jobs).toHaveLength(2);
  });

  it('says in the job how it was asked for (the worker leaves its notes out of chatter), and a /continue not', async () => {
    const made = deps();
    made.deps.settings.get = async () => ({ chatter: 0.2, mentions: true });
    await continueCommand(made.deps, { name: 'continue', prompt: 'nice day', via: 'chatter' }, context);
    await continueCommand(made.deps, { name: 'continue', prompt: 'nice day', via: 'mention' }, context);
    await continueCommand(made.deps, { name: 'continue', prompt: 'nice day' }, context);
    expect(made.jobs.map((job) => job.via)).toEqual(['chatter', 'mention', undefined]);
    expect(made.jobs.map((job) => 'via' in job)).toEqual([true, true, false]);
    // The queue's schema takes all three, and jobs queued before the field existed; nothing else.
    for (const job of made.jobs) expect(generateJobSchema.safeParse(job).success).toBe(true);
    expect(generateJobSchema.safeParse({ ...made.jobs[0], via: 'carrier pigeon' }).success).toBe(false);
  });
});

describe('continueCommand via a mention', () => {
  const withMentions = (on: boolean) => {
    const made = deps();
    let taken = 0;
    made.deps.settings.get = async () => (on ? { mentions: true, temperature: 0.3 } : {});
    made.deps.rateLimiter = { take: async () => ((taken += 1), { allowed: true }) };
    return { ...made, taken: () => taken };
  };

  it('answers nothing, queues nothing and counts nothing while the channel’s mentions are off', async () => {
    const { deps: d, jobs, taken } = withMentions(false);
    const outcome = await continueCommand(d, { name: 'continue', prompt: 'hi', via: 'mention' }, context);
    expect(outcome).toEqual({ text: '', visibility: 'private' });
    expect([jobs, taken()]).toEqual([[], 0]);
  });

  it('queues with the channel’s temperature once they are on', async () => {
    const { deps: d, jobs } = withMentions(true);
    const outcome = await continueCommand(d, { name: 'continue', prompt: ' hi ', via: 'mention' }, context);
    expect(outcome.pendingJobId).toBe('job');
    expect(jobs.map((job) => [job.prompt, job.options.temperature])).toEqual([['hi', 0.3]]);
  });

  it('refuses an empty mention with its own short usage answer', async () => {
    const { deps: d, jobs } = withMentions(true);
    const refused = await continueCommand(d, { name: 'continue', prompt: ' ', via: 'mention' }, context).catch(
      (error: unknown) => error,
    );
    expect({ ...(refused as UserError) }).toMatchObject({ key: 'mention.emptyPrompt' });
    expect(jobs).toEqual([]);
  });

  it('refuses a mention of only zero-width spaces or NUL as empty, like one of nothing', async () => {
    const { deps: d, jobs } = withMentions(true);
    for (const prompt of ['\u200b\u200b', '\u0000\u0000']) {
      const refused = await continueCommand(d, { name: 'continue', prompt, via: 'mention' }, context).catch(
        (error: unknown) => error,
      );
      expect({ ...(refused as UserError) }).toMatchObject({ key: 'mention.emptyPrompt' });
    }
    expect(jobs).toEqual([]);
  });
});

describe('continueCommand with the channel’s context setting', () => {
  it('marks the job where context is on (a flag only: the worker reads the messages), not where it is off', async () => {
    const { deps: d, jobs } = deps();
    await continueCommand(d, { name: 'continue', prompt: 'how do i', temperature: 0.5 }, context);
    d.settings.get = async () => ({ context: true });
    await continueCommand(d, { name: 'continue', prompt: 'how do i', temperature: 0.5 }, context);
    expect(jobs.map((job) => job.context)).toEqual([undefined, true]);
    expect(Object.keys(jobs[0]!)).not.toContain('context');
  });
});

describe('continueCommand via "Continue this message"', () => {
  const withSwitch = (settings: { continue_message?: boolean; mentions?: boolean }) => {
    const made = deps();
    let taken = 0;
    made.deps.settings.get = async () => ({ ...settings, temperature: 0.3 });
    made.deps.rateLimiter = { take: async () => ((taken += 1), { allowed: true }) };
    return { ...made, taken: () => taken };
  };
  const refusalOf = (d: ContinueDeps, prompt: string) =>
    continueCommand(d, { name: 'continue', prompt, via: 'message' }, context).catch((error: unknown) => error);

  it('refuses politely, queuing and counting nothing, while the channel’s switch is off (mentions on or not)', async () => {
    const { deps: d, jobs, taken } = withSwitch({ mentions: true });
    expect({ ...((await refusalOf(d, 'hi')) as UserError) }).toMatchObject({ key: 'continueMessage.off' });
    expect([jobs, taken()]).toEqual([[], 0]);
  });

  it('queues the message’s text with the channel’s temperature once it is on', async () => {
    const { deps: d, jobs } = withSwitch({ continue_message: true });
    const outcome = await continueCommand(d, { name: 'continue', prompt: ' hi ', via: 'message' }, context);
    expect(outcome.pendingJobId).toBe('job');
    expect(jobs.map((job) => [job.prompt, job.options.temperature])).toEqual([['hi', 0.3]]);
  });

  it('refuses a message without text (or with only a zero-width space) with its own short answer', async () => {
    const { deps: d, jobs } = withSwitch({ continue_message: true });
    expect({ ...((await refusalOf(d, ' ')) as UserError) }).toMatchObject({ key: 'continueMessage.empty' });
    expect({ ...((await refusalOf(d, '\u200b')) as UserError) }).toMatchObject({ key: 'continueMessage.empty' });
    expect(jobs).toEqual([]);
  });
});

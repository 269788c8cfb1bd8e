import { describe, expect, it } from 'vitest';
import type { CommandEntry } from '../../../src/commands/chat-adapter.js';
import type { ChatCommand } from '../../../src/commands/chat-command.js';
import type { ChannelMessage } from '../../../src/commands/channel-message.js';
import { ChannelMessageHandler } from '../../../src/commands/channel-message-handler.js';
import type { CommandContext, CommandOutcome } from '../../../src/commands/command-context.js';
import type { ChannelSettings } from '../../../src/commands/settings-store.js';
import { createLogger } from '../../../src/ops/logger.js';

const channel = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
const message = (fields: Partial<ChannelMessage> = {}): ChannelMessage => ({
  channel,
  authorId: 'U1',
  text: 'the weather today',
  fromBot: false,
  messageId: '1.1',
  timestampMs: 1_700_000_000_000,
  replyTo: { platform: 'slack', channelId: 'C1', userId: 'U1', expiresAt: 0 },
  answered: false,
  ...fields,
});

/** The handler over fakes: what it stored, what the gate was told, which commands it ran. */
function handlerWith(
  settings: ChannelSettings,
  options: { pass?: boolean; seen?: Set<string>; outcome?: CommandOutcome } = {},
) {
  const recorded: { stored: string[]; gate: boolean[]; commands: [ChatCommand, CommandContext][]; order: string[] } = {
    stored: [],
    gate: [],
    commands: [],
    order: [],
  };
  const commands: CommandEntry = {
    async handleCommand(command, context) {
      recorded.commands.push([command, context]);
      return options.outcome ?? { text: 'Thinking…', visibility: 'private', pendingJobId: 'j1' };
    },
  };
  const handler = new ChannelMessageHandler({
    commands,
    settings: { get: async () => settings },
    history: {
      async record(_channel, m) {
        recorded.stored.push(m.text);
        recorded.order.push('store');
        return true;
      },
    },
    chatter: {
      async pass(_channel, drawn) {
        recorded.gate.push(drawn);
        recorded.order.push('chatter');
        return drawn && (options.pass ?? true);
      },
    },
    replayGuard: { firstSeen: async (id) => !options.seen?.has(id) },
    random: () => 0,
    logger: createLogger({ level: 'silent' }),
  });
  return { handler, recorded };
}

describe('ChannelMessageHandler', () => {
  it('with learning and chatter off, does nothing', async () => {
    const { handler, recorded } = handlerWith({});
    await handler.handleMessage(message());
    expect(recorded).toEqual({ stored: [], gate: [], commands: [], order: [] });
  });

  it('with learning on, stores a person’s message, never a bot’s', async () => {
    const { handler, recorded } = handlerWith({ learning: true });
    await handler.handleMessage(message({ fromBot: true, text: 'beep' }));
    await handler.handleMessage(message());
    expect(recorded.stored).toEqual(['the weather today']);
    expect(recorded.gate).toEqual([]);
  });

  it('drops a message whose request id was seen before', async () => {
    const { handler, recorded } = handlerWith({ learning: true, chatter: 0.2 }, { seen: new Set(['ev1']) });
    await handler.handleMessage(message({ requestId: 'ev1' }));
    expect(recorded.order).toEqual([]);
  });

  it('chatter: a winning draw that passes the gate is a /continue via chatter, decided before the message is stored', async () => {
    const { handler, recorded } = handlerWith({ learning: true, chatter: 0.2 });
    await handler.handleMessage(message());
    expect(recorded.order).toEqual(['chatter', 'store']);
    const [[command, context]] = recorded.commands as [[ChatCommand, CommandContext]];
    expect(command).toEqual({ name: 'continue', prompt: 'the weather today', via: 'chatter' });
    expect(context.caller).toEqual({ userId: 'U1', canManageChannel: false, canManageWorkspace: false });
    expect(context.replyTo).toEqual(message().replyTo);
  });

  it('chatter: an answered message still tells the gate (it ends "the bot chattered last") but never wins', async () => {
    const { handler, recorded } = handlerWith({ chatter: 0.2 });
    await handler.handleMessage(message({ answered: true }));
    expect(recorded.gate).toEqual([false]);
    expect(recorded.commands).toEqual([]);
  });

  it('chatter: the gate refusing (cooldown, right after its own chatter) means no command', async () => {
    const { handler, recorded } = handlerWith({ chatter: 0.2 }, { pass: false });
    await handler.handleMessage(message());
    expect(recorded.gate).toEqual([true]);
    expect(recorded.commands).toEqual([]);
  });

  it('chatter: a refused continue (rate limited) posts nothing and does not throw', async () => {
    const outcome: CommandOutcome = { text: 'You are sending requests too fast', visibility: 'private' };
    const { handler, recorded } = handlerWith({ chatter: 0.2 }, { outcome });
    await expect(handler.handleMessage(message())).resolves.toBeUndefined();
    expect(recorded.commands).toHaveLength(1);
  });

  it('never throws when a store fails', async () => {
    const handler = new ChannelMessageHandler({
      commands: { handleCommand: async () => ({ text: '', visibility: 'private' }) },
      settings: {
        get: async () => {
          throw new Error('Redis down');
        },
      },
      history: { record: async () => true },
      chatter: { pass: async () => false },
      logger: createLogger({ level: 'silent' }),
    });
    await expect(handler.handleMessage(message())).resolves.toBeUndefined();
  });
});

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandEntry } from '../../src/commands/chat-adapter.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start-slack.js';
import type { ChatCommand } from '../../src/commands/chat-command.js';
import type { OutboundReply } from '../../src/commands/reply-address.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { createLogger } from '../../src/ops/logger.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { fakeSlackReplySender, testResponseUrlUses } from './fake-slack/fake-slack-clients.js';
import { FakeSocketMode } from './fake-slack/fake-socket-mode.js';
import { postSlashCommand } from './fake-slack/slack-request.js';

const SIGNING_SECRET = 'start-test-signing-secret';
const fake = new FakeSlack();
const socket = new FakeSocketMode();
const logger = createLogger({ level: 'silent' });
const listen = { port: 0, host: '127.0.0.1' };
let running: RunningSlack | undefined;
const urlUses = testResponseUrlUses();

class FakeCommandHandlers implements CommandEntry {
  readonly received: ChatCommand[] = [];
  async handleCommand(command: ChatCommand, _context: CommandContext): Promise<OutboundReply> {
    this.received.push(command);
    return { text: 'done', visibility: 'private' };
  }
}

/** A port on 127.0.0.1 that nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(overrides: ConfigInput = {}) {
  return configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...overrides,
  });
}

beforeAll(async () => {
  await fake.start();
  fake.socketMode.url = await socket.start();
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await socket.stop();
  await urlUses.close();
  await fake.stop();
});

describe('startSlack', () => {
  it('fails with SLACK_AUTH_FAILED, not a crash, when auth.test refuses the token', async () => {
    await expect(
      startSlack({
        config: config({ SLACK_BOT_TOKEN: 'xoxb-wrong' }),
        logger,
        commands: new FakeCommandHandlers(),
        listen,
        retryConfig: { retries: 0 },
        replySender: fakeSlackReplySender(fake, urlUses.uses),
      }),
    ).rejects.toMatchObject({ code: 'SLACK_AUTH_FAILED', message: expect.stringContaining('invalid_auth') });
  });

  it('says Slack could not be reached, not that it refused the token, when auth.test gets no answer', async () => {
    const closed = await closedPort();
    const failure = startSlack({
      config: config({ SLACK_API_URL: `http://127.0.0.1:${closed}/api/` }),
      logger,
      commands: new FakeCommandHandlers(),
      listen,
      retryConfig: { retries: 0 },
      replySender: fakeSlackReplySender(fake, urlUses.uses),
    });
    await expect(failure).rejects.toMatchObject({
      code: 'SLACK_UNREACHABLE',
      message: expect.stringMatching(/^Could not reach Slack \(auth\.test: .*ECONNREFUSED/),
    });
  });

  it('names the missing app token when Socket Mode is on without it', async () => {
    await expect(
      startSlack({
        config: config({ SLACK_SOCKET_MODE: 'true' }),
        logger,
        commands: new FakeCommandHandlers(),
        listen,
        replySender: fakeSlackReplySender(fake, urlUses.uses),
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('SLACK_APP_TOKEN') });
  });

  it('names the missing signing secret for the HTTP receiver', async () => {
    await expect(
      startSlack({
        config: configSchema.parse({ SLACK_BOT_TOKEN: fake.botToken, SLACK_API_URL: fake.apiUrl }),
        logger,
        commands: new FakeCommandHandlers(),
        listen,
        replySender: fakeSlackReplySender(fake, urlUses.uses),
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('SLACK_SIGNING_SECRET') });
  });

  it('answers the configured command names and not the defaults', async () => {
    const handlers = new FakeCommandHandlers();
    running = await startSlack({
      config: config({ SLACK_COMMAND_CONTINUE: '/write', SLACK_COMMAND_STATUS: '/botstatus' }),
      logger,
      commands: handlers,
      listen,
      retryConfig: { retries: 0 },
      replySender: fakeSlackReplySender(fake, urlUses.uses),
    });
    const url = `http://127.0.0.1:${running.port}/slack/events`;
    const fields = {
      text: 'once upon',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: fake.teamId,
      response_url: fake.responseUrl('w'),
    };
    const ok = await postSlashCommand(url, { ...fields, command: '/write' }, { signingSecret: SIGNING_SECRET });
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { response_type: 'ephemeral', text: 'done' }]);
    expect(handlers.received).toEqual([{ name: 'continue', prompt: 'once upon' }]);
  });

  it('receives slash commands over Socket Mode with the app token, acknowledging on the socket', async () => {
    const handlers = new FakeCommandHandlers();
    running = await startSlack({
      config: config({ SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: fake.socketMode.appToken }),
      logger,
      commands: handlers,
      retryConfig: { retries: 0 },
      replySender: fakeSlackReplySender(fake, urlUses.uses),
    });
    expect(running.port).toBeUndefined();
    const usage = await socket.sendSlashCommand({
      command: '/continue',
      text: '',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: fake.teamId,
      response_url: fake.responseUrl('s0'),
    });
    expect(usage).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Usage') });
    const ack = await socket.sendSlashCommand({
      command: '/continue',
      text: 'over the socket',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: fake.teamId,
      response_url: fake.responseUrl('s1'),
    });
    // The private answer is the acknowledgement itself, on the socket.
    expect(ack).toEqual({ response_type: 'ephemeral', text: 'done' });
    expect(handlers.received).toEqual([{ name: 'continue', prompt: 'over the socket' }]);
  });
});

import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandEntry } from '../../src/commands/chat-adapter.js';
import type { CommandContext } from '../../src/commands/command-context.js';
import { createSlackWebClient } from '../../src/adapters/slack/create-slack-web-client.js';
import { SlackReplySender } from '../../src/adapters/slack/slack-reply-sender.js';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start-slack.js';
import type { ChatCommand } from '../../src/commands/chat-command.js';
import type { OutboundReply } from '../../src/commands/reply-address.js';
import { configSchema } from '../../src/config/schema.js';
import { Secret } from '../../src/config/secret.js';
import { createLogger } from '../../src/ops/logger.js';
import { fakeSlackReplySender, testResponseUrlUses } from './fake-slack/fake-slack-clients.js';
import { FakeSlack } from './fake-slack/fake-slack.js';
import { postSlashCommand, type SlashCommandFields } from './fake-slack/slack-request.js';

const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Records what the adapter hands over; answers with whatever the test put in `answer`. */
class FakeCommandHandlers implements CommandEntry {
  readonly received: { command: ChatCommand; context: CommandContext }[] = [];
  answer: (command: ChatCommand, context: CommandContext) => OutboundReply | Promise<OutboundReply> = () => ({
    text: '',
    visibility: 'public',
  });
  readonly #events = new EventEmitter();

  async handleCommand(command: ChatCommand, context: CommandContext): Promise<OutboundReply> {
    this.received.push({ command, context });
    this.#events.emit('received');
    return this.answer(command, context);
  }

  /** Resolves once `count` commands have arrived (the adapter acks before handing over). */
  waitForCount(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.received.length < count) return;
        this.#events.off('received', check);
        resolve();
      };
      this.#events.on('received', check);
      check();
    });
  }
}

const fake = new FakeSlack();
const handlers = new FakeCommandHandlers();
const logLines: string[] = [];
let slack: RunningSlack;
let config: ReturnType<typeof configSchema.parse>;
let requestNumber = 0;

function logger() {
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
  return createLogger({
    level: 'debug',
    format: 'json',
    destination,
    secrets: [new Secret(fake.botToken), new Secret(SIGNING_SECRET)],
  });
}

/** A slash command from user `user`, signed like Slack's, with its own response_url. */
async function slash(command: string, text: string, user = 'UMEMBER', signing = {}) {
  requestNumber += 1;
  const responseId = `r${requestNumber}`;
  const fields: SlashCommandFields = {
    command,
    text,
    user_id: user,
    channel_id: 'CGENERAL',
    team_id: fake.teamId,
    response_url: fake.responseUrl(responseId),
  };
  const result = await postSlashCommand(`http://127.0.0.1:${slack.port}/slack/events`, fields, {
    signingSecret: SIGNING_SECRET,
    ...signing,
  });
  return { ...result, responseId };
}

/** Waits until Slack (the fake) got a post at this response_url. */
function responseTo(id: string) {
  return fake.waitFor(() => fake.responsePosts.find((post) => post.id === id)?.body);
}

const urlUses = testResponseUrlUses();

beforeAll(async () => {
  await fake.start();
  fake.users.set('UMEMBER', { is_admin: false, is_owner: false });
  fake.users.set('UADMIN', { is_admin: true });
  fake.users.set('UOWNER', { is_owner: true });
  config = configSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_ADMIN_USERS: 'UCONFIGURED',
  });
  slack = await startSlack({
    config,
    logger: logger(),
    commands: handlers,
    listen: { port: 0, host: '127.0.0.1' },
    retryConfig: { retries: 0 },
    replySender: fakeSlackReplySender(fake, urlUses.uses),
  });
});

afterAll(async () => {
  await slack?.stop();
  await urlUses.close();
  await fake.stop();
});

afterEach(() => {
  handlers.received.length = 0;
  handlers.answer = () => ({ text: '', visibility: 'public' });
});

describe('Slack slash commands through a real Bolt app', () => {
  it('checks the bot token with auth.test before listening', () => {
    expect(fake.callsOf('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('acknowledges /continue, hands the parsed command over, and the answer reaches the channel via response_url', async () => {
    const { status, body, responseId } = await slash('/continue', 'the weather today --words 12 --temperature 0.5');
    expect(status).toBe(200);
    expect(body).toBe('');
    await handlers.waitForCount(1);
    const [{ command, context }] = handlers.received as [(typeof handlers.received)[0]];
    expect(command).toEqual({ name: 'continue', prompt: 'the weather today', words: 12, temperature: 0.5 });
    expect(context.channel).toEqual({ platform: 'slack', workspace: fake.teamId, channel: 'CGENERAL' });
    expect(context.caller).toEqual({ userId: 'UMEMBER', canManageChannel: false, canManageWorkspace: false });
    expect(context.replyTo).toMatchObject({
      platform: 'slack',
      responseUrl: fake.responseUrl(responseId),
      channelId: 'CGENERAL',
      userId: 'UMEMBER',
    });

    // A worker in another process answers later with only the reply address.
    const silent = createLogger({ level: 'silent' });
    const client = createSlackWebClient({
      token: fake.botToken,
      apiUrl: fake.apiUrl,
      logger: silent,
      retryConfig: { retries: 0 },
    });
    const worker = new SlackReplySender({ client, logger: silent, uses: urlUses.uses });
    await worker.send(context.replyTo, { text: 'the weather today is grey and cold', visibility: 'public' });
    expect(await responseTo(responseId)).toMatchObject({
      response_type: 'in_channel',
      replace_original: false,
      text: 'the weather today is grey and cold',
    });
  });

  it('refuses a wrong signature with 401 and handles nothing', async () => {
    const before = fake.calls.length;
    const { status } = await slash('/continue', 'hello there', 'UMEMBER', { signature: `v0=${'0'.repeat(64)}` });
    expect(status).toBe(401);
    expect(handlers.received).toHaveLength(0);
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a correctly signed request older than five minutes with 401 and handles nothing', async () => {
    const { status } = await slash('/continue', 'hello there', 'UMEMBER', {
      timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(status).toBe(401);
    expect(handlers.received).toHaveLength(0);
  });

  it('refuses a request signed with another secret with 401', async () => {
    const { status } = await slash('/continue', 'hello there', 'UMEMBER', { signingSecret: 'not-the-secret' });
    expect(status).toBe(401);
    expect(handlers.received).toHaveLength(0);
  });

  it('answers a bad option privately with the usage line and hands nothing over', async () => {
    const { status, body } = await slash('/continue', 'hello --words many');
    expect(status).toBe(200);
    const ack = JSON.parse(body) as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain('`--words` needs a number');
    expect(ack.text).toContain('Usage: `/continue &lt;prompt&gt; [--temperature 0..2] [--words N] [--min-words N]`');
    expect(handlers.received).toHaveLength(0);
  });

  it('answers /continue without a prompt and unknown options with the usage line', async () => {
    const empty = JSON.parse((await slash('/continue', '  ')).body) as { text: string };
    expect(empty.text).toMatch(/^Give me the start of a sentence.*Usage/);
    const unknown = JSON.parse((await slash('/continue', 'hi --loud')).body) as { text: string };
    expect(unknown.text).toContain('Unknown option `--loud`');
    const temperature = JSON.parse((await slash('/temperature', 'hot')).body) as { text: string };
    expect(temperature.text).toContain('Usage: `/temperature`');
    expect(handlers.received).toHaveLength(0);
  });

  it('parses /temperature, /lstm-status, /retrain and /forget into commands', async () => {
    await slash('/temperature', '');
    await slash('/temperature', 'reset', 'UCONFIGURED');
    await slash('/lstm-status', '');
    await slash('/retrain', '500', 'UCONFIGURED');
    await slash('/retrain', 'rollback', 'UCONFIGURED');
    await slash('/forget', 'me');
    await handlers.waitForCount(6);
    expect(handlers.received.map((r) => r.command)).toEqual([
      { name: 'temperature', action: 'show' },
      { name: 'temperature', action: 'reset' },
      { name: 'status' },
      { name: 'retrain', action: 'start', messages: 500 },
      { name: 'retrain', action: 'rollback' },
      { name: 'forget', scope: 'me' },
    ]);
  });

  it('gives a non-admin no rights (users.info: not admin) and their refusal reaches only them', async () => {
    handlers.answer = (_command, { caller }) =>
      caller.canManageChannel
        ? { text: 'Temperature set to 1.5.', visibility: 'public' }
        : { text: 'Only workspace admins can change the temperature.', visibility: 'private' };
    const { status, body } = await slash('/temperature', '1.5', 'UMEMBER');
    expect(status).toBe(200);
    // A private immediate answer is the acknowledgement's own body.
    expect(JSON.parse(body)).toEqual({
      response_type: 'ephemeral',
      text: 'Only workspace admins can change the temperature.',
    });
    expect(handlers.received[0]?.command).toEqual({ name: 'temperature', action: 'set', value: 1.5 });
    expect(handlers.received[0]?.context.caller).toEqual({
      userId: 'UMEMBER',
      canManageChannel: false,
      canManageWorkspace: false,
    });
  });

  it('grants rights to workspace admins, owners and configured users, asking users.info once per user', async () => {
    const usersInfoBefore = fake.callsOf('users.info').length;
    await slash('/temperature', '0.3', 'UADMIN');
    await slash('/temperature', '0.4', 'UADMIN');
    await slash('/forget', 'channel', 'UOWNER');
    await slash('/retrain', '', 'UCONFIGURED');
    await handlers.waitForCount(4);
    expect(handlers.received.map((r) => r.context.caller.canManageWorkspace)).toEqual([true, true, true, true]);
    const asked = fake
      .callsOf('users.info')
      .slice(usersInfoBefore)
      .map((call) => call.args.user);
    expect(asked.sort()).toEqual(['UADMIN', 'UOWNER']);
  });

  it('posts nothing that can notify anyone: mentions and broadcasts arrive escaped', async () => {
    handlers.answer = () => ({
      text: 'hi <@U123> and <!channel> <!here> <!everyone> <!subteam^S1|@team> & @here <https://evil.example|click>',
      visibility: 'public',
    });
    const { responseId } = await slash('/lstm-status', '');
    const posted = await responseTo(responseId);
    const text = String(posted.text);
    expect(text).not.toMatch(/<[@!#]/);
    expect(text).not.toMatch(/@here\b/);
    expect(text).toContain('&lt;@U123&gt;');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain(' &amp; ');
    expect(posted).toMatchObject({
      response_type: 'in_channel',
      parse: 'none',
      link_names: false,
      unfurl_links: false,
    });
  });

  it('acknowledges only once the handler is done (the request is queued), its answer in the acknowledgement', async () => {
    let finish: (reply: OutboundReply) => void = () => undefined;
    handlers.answer = () => new Promise<OutboundReply>((resolve) => (finish = resolve));
    let acknowledged = false;
    const request = slash('/continue', 'hello').then((result) => {
      acknowledged = true;
      return result;
    });
    await handlers.waitForCount(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(acknowledged).toBe(false);
    finish({ text: 'Thinking…', visibility: 'private' });
    const { status, body, responseId } = await request;
    expect([status, JSON.parse(body)]).toEqual([200, { response_type: 'ephemeral', text: 'Thinking…' }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.responsePosts.filter((p) => p.id === responseId)).toEqual([]);
  });

  it('turns a failing handler into a private apology in the acknowledgement, never a channel message', async () => {
    handlers.answer = () => {
      throw new Error('redis down');
    };
    const { status, body, responseId } = await slash('/continue', 'hello');
    expect([status, JSON.parse(body)]).toEqual([
      200,
      { response_type: 'ephemeral', text: 'Something went wrong on my side. It has been logged.' },
    ]);
    expect(fake.responsePosts.filter((p) => p.id === responseId)).toEqual([]);
  });

  it('goes on when a public immediate answer cannot be delivered: a warning, and no apology for a command that stands', async () => {
    handlers.answer = () => ({ text: 'Temperature set to 0.5.', visibility: 'public' });
    fake.expiredResponseIds.add(`r${requestNumber + 1}`);
    fake.fault('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const before = fake.callsOf('chat.postMessage').length;
    const { status, body, responseId } = await slash('/temperature', '0.5', 'UCONFIGURED');
    expect([status, body]).toEqual([200, '']);
    await vi.waitFor(() => expect(logLines.join('')).toContain('could not post the immediate answer'), {
      timeout: 5_000,
    });
    const warning = logLines.find((line) => line.includes('could not post the immediate answer'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    const posted = fake.callsOf('chat.postMessage').slice(before);
    expect(posted.map((call) => call.args.text)).toEqual(['Temperature set to 0.5.']);
    expect(fake.responsePosts.filter((post) => post.id === responseId)).toEqual([]);
    expect(fake.callsOf('chat.postEphemeral').some((call) => String(call.args.text).includes('wrong'))).toBe(false);
  });

  it('never writes the bot token or the signing secret to the log, even at debug level', () => {
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(fake.botToken);
    expect(log).not.toContain(SIGNING_SECRET);
    expect(log).not.toContain('legacy-verification-token');
  });
});

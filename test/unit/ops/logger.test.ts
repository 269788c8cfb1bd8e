import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/ops/logger.js';
import { loadConfig } from '../../../src/config/load-config.js';

const TOKENS = {
  DISCORD_TOKEN: 'MTAxOTk5.discord-secret-token.Xyz',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-slack-secret',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  SLACK_APP_TOKEN: 'xapp-1-A111-slack-app-secret',
};

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe.each(['json', 'pretty'] as const)('createLogger (%s)', (format) => {
  it('never writes a configured secret, wherever it appears', () => {
    const config = loadConfig({ env: { ...TOKENS } });
    const out = capture();
    const log = createLogger({
      format,
      level: 'trace',
      destination: out.stream,
      secrets: [config.DISCORD_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN],
    });

    log.info({ config }, 'config loaded');
    log.info({ token: TOKENS.DISCORD_TOKEN, headers: { authorization: `Bot ${TOKENS.DISCORD_TOKEN}` } }, 'request');
    log.warn(`login failed for token ${TOKENS.SLACK_BOT_TOKEN}`);
    log.error({ err: new Error(`signature check with ${TOKENS.SLACK_SIGNING_SECRET} failed`) }, 'boom');
    log.debug({ nested: { deeper: { value: `xapp ${TOKENS.SLACK_APP_TOKEN}` } } }, 'nested');

    const text = out.text();
    expect(text).toContain('config loaded');
    expect(text).toContain('login failed for token [redacted]');
    for (const secret of Object.values(TOKENS)) expect(text).not.toContain(secret);
  });

  it('keeps ordinary fields', () => {
    const out = capture();
    const log = createLogger({ format, destination: out.stream });
    log.info({ jobId: 'job-1', platform: 'discord', channel: 'c1' }, 'generated');
    expect(out.text()).toContain('job-1');
    expect(out.text()).toContain('generated');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slackCommandNames } from '../../../../src/adapters/slack/slack-command-names.js';
import { configDefaults } from '../../../../src/config/schema.js';

interface Manifest {
  features: {
    slash_commands: { command: string; url: string; usage_hint?: string }[];
    shortcuts: { callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string };
  };
}

/** The app manifest docs/slack.md tells people to paste: the first YAML block of the page. */
function manifest(): Manifest {
  const page = readFileSync('docs/slack.md', 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(page)?.[1];
  if (block === undefined) throw new Error('docs/slack.md has no yaml block');
  return parse(block) as Manifest;
}

describe('the Slack app manifest in docs/slack.md', () => {
  it('is valid YAML with what the adapter needs: commands, shortcut, events and scopes', () => {
    const app = manifest();
    const commands = app.features.slash_commands.map((c) => c.command);
    expect(commands.sort()).toEqual(Object.values(slackCommandNames(configDefaults)).sort());
    expect(app.features.shortcuts[0]?.callback_id).toBe(configDefaults.SLACK_SHORTCUT_CONTINUE_MESSAGE);
    expect(app.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.channels', 'message.groups']);
    expect(app.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'commands',
        'app_mentions:read',
        'chat:write',
        'users:read',
        'channels:history',
        'groups:history',
      ]),
    );
    const urls = [
      app.settings.event_subscriptions.request_url,
      app.settings.interactivity.request_url,
      ...app.features.slash_commands.map((c) => c.url),
    ];
    expect(new Set(urls)).toEqual(new Set(['https://bot.example.com/slack/events']));
  });

  it('lists every /lstm-settings switch in its usage hint', () => {
    const settings = manifest().features.slash_commands.find(
      (c: { command: string }) => c.command === '/lstm-settings',
    );
    for (const name of ['mentions', 'continue_message', 'context', 'learning'])
      expect(settings?.usage_hint).toContain(name);
  });
});

import type { CommandContext, CommandOutcome } from './command-context.js';
import type { CommandLimits } from './command-limits.js';
import type { SettingsStore } from './settings-store.js';
import type { StatusSource } from './status-source.js';
import { renderReply } from '../replies/reply-catalogue.js';

export interface StatusDeps {
  settings: SettingsStore;
  status: StatusSource;
  limits: CommandLimits;
}

/** `/status`: the model version serving this channel, backend, queue depth, workers alive, temperature. */
export async function statusCommand(deps: StatusDeps, context: CommandContext): Promise<CommandOutcome> {
  const [status, settings] = await Promise.all([
    deps.status.channelStatus(context.channel),
    deps.settings.get(context.channel),
  ]);
  const temperature = settings.temperature ?? deps.limits.defaultTemperature;
  return { text: renderReply('status.summary', { ...status, temperature }), visibility: 'private' };
}

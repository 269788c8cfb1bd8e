import type { Config } from '../../config/schema.js';

/** The slash commands this adapter answers, by kind; names come from config (`SLACK_COMMAND_*`). */
export type SlackCommandKind = 'continue' | 'temperature' | 'status' | 'retrain' | 'forget' | 'settings';

export type SlackCommandNames = Readonly<Record<SlackCommandKind, string>>;

export function slackCommandNames(config: Config): SlackCommandNames {
  return {
    continue: config.SLACK_COMMAND_CONTINUE,
    temperature: config.SLACK_COMMAND_TEMPERATURE,
    status: config.SLACK_COMMAND_STATUS,
    retrain: config.SLACK_COMMAND_RETRAIN,
    forget: config.SLACK_COMMAND_FORGET,
    settings: config.SLACK_COMMAND_SETTINGS,
  };
}

/**
 * One message of a channel's history as a platform's history reader yields it (newest first): the
 * one shape the Discord and Slack readers return and `collectHistory` stores.
 */
export interface HistoryMessage {
  /** The platform's id of the message (Discord: a snowflake; Slack: its `ts`), unique in the channel. */
  id: string;
  authorId: string;
  /** Plain text, as people read it (Slack markup resolved by `slackTextToPlain`). */
  text: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

/**
 * Reads a channel's history from its platform, newest first (the Discord and Slack history readers,
 * bound to their tokens in the trainer's composition root).
 */
export type HistorySource = (options: {
  channel: string;
  maxMessages?: number;
  signal?: AbortSignal;
}) => AsyncIterable<HistoryMessage>;

/** One message as a platform's history reader yields it (newest first). */
export interface CollectedMessage {
  id: string;
  authorId: string;
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
}) => AsyncIterable<CollectedMessage>;

/** One message of a channel's stored history, as imported or collected (oldest first in the store). */
export interface StoredMessage {
  text: string;
  /** Author's platform user id, when known (needed by `/forget me`). */
  author?: string;
  /** ISO time, when known. */
  timestamp?: string;
}

/** A message as read from a source, before cleaning: what the readers of each format yield. */
export interface RawMessage extends StoredMessage {
  /** Sent by a bot or an integration. */
  isBot?: boolean;
  /** A system message (joins, pins, topic changes): not something a person wrote. */
  isSystem?: boolean;
}
